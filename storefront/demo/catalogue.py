"""The demo catalogue: OCOP products of the source article and of a few more provinces.

Starts from the products in the article on Điện Biên (mật ong hoa Ban, bí xanh Tìa Dình,
khoai sọ Phì Nhừ, lạc đỏ Na Son, thịt lợn khô) and yến sào Chư Sê, then adds products of
Lạng Sơn, Cà Mau, Tây Ninh, Vĩnh Long, Sơn La and Hà Nội. Producers, prices, phone numbers
and decision numbers are made up but plausible.

Certificate dates are given as an age in months, so the demo stays current whenever it
is loaded: a certificate is in force for 36 months from its decision date.
"""

from __future__ import annotations

from dataclasses import dataclass

from storefront.catalog.models import ProducerKind

COOPERATIVE = ProducerKind.COOPERATIVE
ENTERPRISE = ProducerKind.ENTERPRISE
HOUSEHOLD = ProducerKind.HOUSEHOLD
GROUP = ProducerKind.GROUP


@dataclass(frozen=True)
class DemoProducer:
    name: str
    kind: ProducerKind
    province: str  # as storefront.places.find_province accepts it
    ward: str  # the ward's full name, e.g. "Xã Mường Phăng"
    address: str
    phone: str
    story: str


@dataclass(frozen=True)
class V:
    """A variant: pack label, SKU, price in VND, shipping weight in grams, stock."""

    label: str
    sku: str
    price: int
    grams: int
    stock: int


@dataclass(frozen=True)
class Cert:
    stars: int
    number: str
    age_months: int  # the decision was this many months before the day of loading
    verified: bool = True


@dataclass(frozen=True)
class DemoProduct:
    producer: str  # DemoProducer.name
    name: str
    group: str
    subgroup: str
    description: str
    variants: tuple[V, ...]
    certificate: Cert
    name_en: str = ""


PRODUCERS: tuple[DemoProducer, ...] = (
    DemoProducer(
        "HTX Mật ong hoa Ban Mường Phăng",
        COOPERATIVE,
        "Điện Biên",
        "Xã Mường Phăng",
        "Bản Che Căn",
        "0915 234 681",
        "Hợp tác xã do 12 hộ nuôi ong người Thái ở bản Che Căn lập nên, dưới chân rừng "
        "Mường Phăng. Mỗi mùa xuân, khi hoa ban nở trắng núi rừng Tây Bắc, các đàn ong được "
        "đặt giữa rừng ban để lấy mật. Hợp tác xã còn đón khách đến trải nghiệm nghề nuôi ong.",
    ),
    DemoProducer(
        "HTX Nông sản Na Son",
        COOPERATIVE,
        "Điện Biên",
        "Xã Na Son",
        "Bản Na Son",
        "0986 412 357",
        "Hợp tác xã liên kết hơn 60 hộ đồng bào Mông và Thái ở vùng Điện Biên Đông cũ, trồng "
        "bí xanh, khoai sọ, lạc đỏ trên nương theo cách truyền thống. Với hỗ trợ của chương "
        "trình OCOP, hợp tác xã đã có bộ nhận diện thương hiệu và tem truy xuất nguồn gốc cho "
        "bốn sản phẩm chủ lực, và nhận bao tiêu nông sản cho bà con.",
    ),
    DemoProducer(
        "Hộ kinh doanh Giàng A Páo",
        HOUSEHOLD,
        "Điện Biên",
        "Xã Sín Chải",
        "Bản Sín Chải",
        "0389 517 204",
        "Gia đình anh Giàng A Páo chăm sóc hơn 300 cây chè Shan tuyết cổ thụ ở độ cao 1.500 m "
        "vùng Tủa Chùa. Búp chè được hái bằng tay vào sáng sớm và sao thủ công trên chảo gang.",
    ),
    DemoProducer(
        "Công ty TNHH Yến sào Chư Sê",
        ENTERPRISE,
        "Gia Lai",
        "Xã Chư Sê",
        "Số 18 đường Hùng Vương",
        "0905 318 642",
        "Doanh nghiệp khởi nghiệp từ nghề nuôi chim yến trong nhà ở Chư Sê, nơi những vườn cà "
        "phê, hồ tiêu tạo nguồn thức ăn dồi dào cho yến. Tổ yến được làm sạch thủ công, không "
        "dùng hóa chất tẩy trắng. Công ty bao tiêu yến và hồ tiêu cho các hộ trong vùng.",
    ),
    DemoProducer(
        "HTX Đặc sản Xứ Lạng",
        COOPERATIVE,
        "Lạng Sơn",
        "Xã Văn Quan",
        "Thôn Bản Làn",
        "0912 605 438",
        "Hợp tác xã thu mua hồi, na và thạch đen của hơn 200 hộ đồng bào Tày, Nùng ở Văn Quan, "
        "Chi Lăng và Tràng Định. Hoa hồi được phơi nắng tự nhiên và chưng cất tinh dầu ngay "
        "tại xưởng. Sản phẩm có mặt ở các hội chợ xúc tiến thương mại tại Hà Nội.",
    ),
    DemoProducer(
        "Tổ hợp tác Rượu men lá Mẫu Sơn",
        GROUP,
        "Lạng Sơn",
        "Xã Mẫu Sơn",
        "Thôn Khuổi Tấu",
        "0355 214 869",
        "Tổ hợp tác gồm 9 hộ người Dao ở vùng núi Mẫu Sơn, nấu rượu từ gạo nếp nương và men "
        "lá rừng theo bí quyết gia truyền. Mỗi mẻ rượu đều ghi số lô để khách truy xuất nguồn "
        "gốc.",
    ),
    DemoProducer(
        "HTX Ong mật U Minh Hạ",
        COOPERATIVE,
        "Cà Mau",
        "Xã U Minh",
        "Ấp 7",
        "0939 742 516",
        "Các thành viên hợp tác xã gác kèo ong trong rừng tràm U Minh Hạ, một nghề truyền "
        "thống chỉ có ở vùng đất mũi. Mật được lấy theo mùa hoa tràm, không nuôi ong bằng "
        "đường. Hợp tác xã đón khách trải nghiệm gác kèo ong và đi xuồng trong rừng tràm.",
    ),
    DemoProducer(
        "Công ty Cổ phần Thủy sản Đất Mũi",
        ENTERPRISE,
        "Cà Mau",
        "Xã Tân Ân",
        "Ấp Rạch Gốc",
        "0918 364 275",
        "Công ty thu mua tôm, cua của các hộ nuôi quảng canh sinh thái dưới tán rừng đước. "
        "Tôm khô được luộc, phơi và lột vỏ trong ngày theo quy trình HACCP; cua được tuyển "
        "từng con và đóng thùng giữ lạnh để giao đi các tỉnh.",
    ),
    DemoProducer(
        "Hộ kinh doanh Bánh tráng Út Hạnh",
        HOUSEHOLD,
        "Tây Ninh",
        "Phường Trảng Bàng",
        "Khu phố Lộc Du",
        "0976 285 130",
        "Ba thế hệ trong gia đình cô Út Hạnh làm bánh tráng phơi sương ở Trảng Bàng. Bánh được "
        "nướng trên than rồi phơi sương đêm để có độ dẻo đặc trưng. Cơ sở còn làm muối tôm "
        "Tây Ninh để ăn kèm.",
    ),
    DemoProducer(
        "HTX Lúa gạo Chợ Đào",
        COOPERATIVE,
        "Tây Ninh",
        "Xã Mỹ Lệ",
        "Ấp Chợ Đào",
        "0908 457 219",
        "Hợp tác xã giữ giống lúa Nàng thơm Chợ Đào, đặc sản của vùng Cần Đước (tỉnh Long An "
        "cũ). Lúa được trồng mỗi năm một vụ trên đất phù sa nhiễm mặn nhẹ, cho hạt gạo thơm và "
        "dẻo. Gạo được xay, đóng túi hút chân không ngay tại hợp tác xã.",
    ),
    DemoProducer(
        "Công ty TNHH Kẹo dừa Mỏ Cày",
        ENTERPRISE,
        "Vĩnh Long",
        "Xã Mỏ Cày",
        "Số 125 ấp Phước Khánh",
        "0947 813 062",
        "Công ty nối tiếp nghề làm kẹo dừa truyền thống của xứ dừa Bến Tre, nay thuộc tỉnh "
        "Vĩnh Long. Nước cốt dừa tươi được nấu cùng mạch nha trong chảo lớn, cắt và gói bằng "
        "tay. Công ty còn làm dầu dừa ép lạnh, nước dừa và đồ dùng từ gáo dừa.",
    ),
    DemoProducer(
        "Tổ hợp tác Bánh tét Trà Cuôn",
        GROUP,
        "Vĩnh Long",
        "Xã Trà Cú",
        "Ấp Trà Cuôn",
        "0868 290 417",
        "Làng bánh tét Trà Cuôn của đồng bào Khmer và Kinh ở Trà Vinh cũ đã có hơn 80 năm "
        "tuổi. Bánh luộc liên tục tám tiếng trên bếp củi. Tổ hợp tác nhận đặt bánh quanh năm "
        "và giao hàng đi các tỉnh.",
    ),
    DemoProducer(
        "HTX Cây kiểng Cái Mơn",
        COOPERATIVE,
        "Vĩnh Long",
        "Xã Chợ Lách",
        "Ấp Phú Hữu",
        "0919 506 843",
        "Cái Mơn là làng hoa kiểng lâu đời của miền Tây, bên dòng sông Cổ Chiên. Hợp tác xã có "
        "45 nhà vườn chuyên mai vàng, bonsai và cây ăn trái. Bưởi da xanh của các nhà vườn "
        "được trồng theo tiêu chuẩn VietGAP.",
    ),
    DemoProducer(
        "HTX Nông nghiệp Mộc Châu Xanh",
        COOPERATIVE,
        "Sơn La",
        "Phường Mộc Châu",
        "Tiểu khu 6",
        "0357 864 129",
        "Hợp tác xã trên cao nguyên Mộc Châu trồng chè Ô long, cà phê Arabica, mận hậu và lan "
        "hồ điệp. Khí hậu mát quanh năm ở độ cao hơn 1.000 m giúp chè thơm và mận giòn ngọt. "
        "Hợp tác xã đón khách tham quan đồi chè và vườn mận vào mùa hoa.",
    ),
    DemoProducer(
        "Công ty TNHH Gốm sứ Men Lam Bát Tràng",
        ENTERPRISE,
        "Hà Nội",
        "Xã Bát Tràng",
        "Số 46 xóm 3",
        "0983 150 724",
        "Xưởng gốm của gia đình đã hơn 40 năm làm gốm men lam, men rạn theo lối cổ của làng "
        "Bát Tràng. Mỗi sản phẩm được vuốt, vẽ tay và nung ở 1.300 °C. Công ty nhận đặt quà "
        "tặng và bán sỉ cho các cửa hàng lưu niệm.",
    ),
)

PRODUCTS: tuple[DemoProduct, ...] = (
    # Điện Biên: the products of the article.
    DemoProduct(
        "HTX Mật ong hoa Ban Mường Phăng",
        "Mật ong hoa Ban",
        "thuc-pham",
        "nong-san-so-che",
        "Mật ong nguyên chất do đàn ong khai thác từ hoa ban nở trắng rừng Mường Phăng mỗi độ "
        "xuân về. Mật màu vàng nhạt, vị ngọt thanh, thơm nhẹ hương hoa rừng Tây Bắc. Sản phẩm "
        "được lọc và đóng chai thủ công, không pha đường, không chất bảo quản.",
        (
            V("Chai 250 ml", "DB-MOHB-250", 165_000, 350, 48),
            V("Chai 500 ml", "DB-MOHB-500", 290_000, 700, 120),
            V("Chai 1 lít", "DB-MOHB-1000", 540_000, 1400, 4),
        ),
        Cert(4, "2156/QĐ-UBND", 14),
        name_en="Ban flower honey",
    ),
    DemoProduct(
        "HTX Mật ong hoa Ban Mường Phăng",
        "Du lịch cộng đồng bản Che Căn Mường Phăng",
        "du-lich",
        "du-lich-cong-dong",
        "Một ngày cùng người nuôi ong bản Che Căn: đi giữa rừng ban, xem quay mật và thưởng "
        "thức mâm cơm Thái. Chương trình có thăm Sở chỉ huy chiến dịch Điện Biên Phủ ở Mường "
        "Phăng. Giá đã gồm người hướng dẫn, bữa trưa và một chai mật ong 250 ml mang về.",
        (
            V("Vé người lớn (1 ngày)", "DB-DLMP-NL", 450_000, 350, 30),
            V("Vé trẻ em dưới 12 tuổi", "DB-DLMP-TE", 250_000, 350, 20),
        ),
        Cert(3, "1873/QĐ-UBND", 9),
        name_en="Che Can village community tour",
    ),
    DemoProduct(
        "HTX Nông sản Na Son",
        "Bí xanh Tìa Dình",
        "thuc-pham",
        "nong-san-tuoi",
        "Bí xanh trồng trên nương ở xã Tìa Dình, vùng cao Điện Biên Đông, chỉ bón phân chuồng "
        "hoai mục. Quả dài, vỏ xanh đậm phủ phấn trắng, ruột đặc, nấu canh ngọt mát. Mỗi quả "
        "nặng từ 2 đến 4 kg, thu hái vào mùa thu.",
        (
            V("Quả 2–3 kg", "DB-BXTD-Q", 55_000, 2500, 80),
            V("Thùng 10 kg", "DB-BXTD-10", 190_000, 10_000, 25),
        ),
        Cert(3, "1650/QĐ-UBND", 22),
        name_en="Tia Dinh wax gourd",
    ),
    DemoProduct(
        "HTX Nông sản Na Son",
        "Khoai sọ Phì Nhừ",
        "thuc-pham",
        "nong-san-tuoi",
        "Khoai sọ núi trồng xen trên nương ngô ở vùng Phì Nhừ, nơi đất đồi tơi xốp và nhiều "
        "sương. Củ nhỏ, vỏ nâu, luộc lên bở tơi và dẻo, vị bùi đặc trưng. Khoai được thu hoạch "
        "theo mùa và đóng túi lưới.",
        (
            V("Túi 2 kg", "DB-KSPN-2", 70_000, 2000, 60),
            V("Túi 5 kg", "DB-KSPN-5", 165_000, 5000, 35),
        ),
        Cert(3, "1650/QĐ-UBND", 22),
        name_en="Phi Nhu taro",
    ),
    DemoProduct(
        "HTX Nông sản Na Son",
        "Lạc đỏ Na Son",
        "thuc-pham",
        "nong-san-so-che",
        "Giống lạc đỏ bản địa của đồng bào Mông ở Na Son: hạt nhỏ, vỏ lụa đỏ sẫm, nhiều dầu. "
        "Lạc được phơi khô tự nhiên, nhặt tay và đóng túi hút chân không. Thích hợp rang muối, "
        "nấu xôi hoặc ép dầu.",
        (
            V("Túi 500 g", "DB-LDNS-500", 60_000, 520, 150),
            V("Túi 1 kg", "DB-LDNS-1000", 115_000, 1030, 90),
        ),
        Cert(3, "1650/QĐ-UBND", 22),
        name_en="Na Son red peanuts",
    ),
    DemoProduct(
        "HTX Nông sản Na Son",
        "Thịt lợn khô Điện Biên Đông",
        "thuc-pham",
        "thuc-pham-che-bien",
        "Thịt lợn bản nuôi thả được tẩm mắc khén, hạt dổi, gừng, ớt rồi treo gác bếp theo cách "
        "của người Thái. Thớ thịt khô đều, thơm mùi khói, chỉ cần hấp hoặc nướng lại là dùng "
        "được. Sản phẩm hút chân không, có tem truy xuất nguồn gốc.",
        (
            V("Gói 250 g", "DB-TLK-250", 185_000, 270, 40),
            V("Gói 500 g", "DB-TLK-500", 360_000, 530, 0),
        ),
        Cert(3, "1650/QĐ-UBND", 22),
        name_en="Smoked dried pork",
    ),
    DemoProduct(
        "Hộ kinh doanh Giàng A Páo",
        "Chè Shan tuyết cổ thụ Tủa Chùa",
        "thuc-pham",
        "che-tra",
        "Chè hái từ những cây Shan tuyết cổ thụ hàng trăm năm tuổi trên núi cao Tủa Chùa. Búp "
        "chè phủ lông tơ trắng như tuyết, sao thủ công nên nước trà vàng sánh, chát dịu và hậu "
        "ngọt sâu. Mỗi năm chỉ thu hái hai vụ xuân và thu.",
        (
            V("Gói 100 g", "DB-CSTC-100", 120_000, 130, 70),
            V("Hộp 200 g", "DB-CSTC-200", 250_000, 300, 45),
        ),
        Cert(4, "987/QĐ-UBND", 5),
        name_en="Tua Chua ancient Shan tuyet tea",
    ),
    # Gia Lai
    DemoProduct(
        "Công ty TNHH Yến sào Chư Sê",
        "Yến sào Chư Sê",
        "thuc-pham",
        "thuc-pham-che-bien",
        "Tổ yến nuôi trong nhà tại Chư Sê, được nhặt lông thủ công và định hình thành tai yến "
        "nguyên chất. Sợi yến dày, nở đều khi chưng, mùi thơm tự nhiên. Sản phẩm không chứa "
        "chất tẩy trắng hay phụ gia.",
        (
            V("Hộp 50 g", "GL-YSCS-50", 1_650_000, 150, 3),
            V("Hộp 100 g", "GL-YSCS-100", 3_200_000, 250, 12),
        ),
        Cert(4, "2243/QĐ-UBND", 17),
        name_en="Chu Se edible bird's nest",
    ),
    DemoProduct(
        "Công ty TNHH Yến sào Chư Sê",
        "Nước yến sào Chư Sê đường phèn",
        "do-uong",
        "do-uong-khong-con",
        "Nước yến chưng sẵn từ yến sào Chư Sê, đường phèn và lá dứa, đóng lọ thủy tinh tiệt "
        "trùng. Mỗi lọ chứa khoảng 15% yến tươi, uống lạnh ngon hơn. Bảo quản 12 tháng ở nhiệt "
        "độ phòng.",
        (
            V("Lọ 70 ml", "GL-NYCS-1", 38_000, 160, 200),
            V("Hộp 6 lọ", "GL-NYCS-6", 215_000, 1000, 80),
        ),
        Cert(3, "2243/QĐ-UBND", 17),
        name_en="Bird's nest drink with rock sugar",
    ),
    DemoProduct(
        "Công ty TNHH Yến sào Chư Sê",
        "Hồ tiêu đen Chư Sê",
        "thuc-pham",
        "gia-vi",
        "Hồ tiêu trồng trên đất đỏ bazan Chư Sê, vùng tiêu nổi tiếng của Tây Nguyên. Hạt tiêu "
        "chín đều, phơi khô tự nhiên, cay nồng và thơm lâu. Có loại hạt nguyên và tiêu xay mịn "
        "đóng hũ.",
        (
            V("Hũ 100 g tiêu xay", "GL-HTCS-100", 45_000, 160, 130),
            V("Túi 500 g hạt", "GL-HTCS-500", 120_000, 520, 90),
        ),
        Cert(4, "1412/QĐ-UBND", 28),
        name_en="Chu Se black pepper",
    ),
    # Lạng Sơn
    DemoProduct(
        "HTX Đặc sản Xứ Lạng",
        "Hoa hồi khô Văn Quan",
        "thuc-pham",
        "gia-vi",
        "Hoa hồi tám cánh thu hái ở rừng hồi Văn Quan, phơi khô dưới nắng đến khi chuyển màu "
        "nâu đỏ. Cánh hồi to, đều, thơm đậm, là gia vị không thể thiếu của phở và các món hầm. "
        "Hồi Lạng Sơn đã được bảo hộ chỉ dẫn địa lý.",
        (
            V("Túi 200 g", "LS-HHVQ-200", 68_000, 220, 110),
            V("Túi 1 kg", "LS-HHVQ-1000", 310_000, 1030, 40),
        ),
        Cert(4, "1879/QĐ-UBND", 11),
        name_en="Van Quan dried star anise",
    ),
    DemoProduct(
        "HTX Đặc sản Xứ Lạng",
        "Tinh dầu hồi Lạng Sơn",
        "duoc-lieu",
        "duoc-lieu-khac",
        "Tinh dầu chưng cất hơi nước từ quả hồi tươi của vùng hồi Lạng Sơn. Tinh dầu trong, "
        "thơm ấm, dùng xông phòng, pha dầu xoa bóp hoặc khử mùi. Chai thủy tinh màu hổ phách "
        "có nắp nhỏ giọt.",
        (
            V("Chai 10 ml", "LS-TDH-10", 65_000, 60, 150),
            V("Chai 50 ml", "LS-TDH-50", 245_000, 140, 35),
        ),
        Cert(4, "1879/QĐ-UBND", 11),
        name_en="Lang Son star anise essential oil",
    ),
    DemoProduct(
        "HTX Đặc sản Xứ Lạng",
        "Na Chi Lăng",
        "thuc-pham",
        "nong-san-tuoi",
        "Na dai trồng trên núi đá vôi Chi Lăng: quả to, mắt na nở đều, thịt trắng ngà, ngọt "
        "đậm và ít hạt. Na được hái khi vừa già, đóng thùng có lót xốp để chín dần trên đường "
        "đi. Mùa na kéo dài từ tháng 7 đến tháng 9.",
        (
            V("Hộp 2 kg", "LS-NCL-2", 130_000, 2200, 0),
            V("Thùng 5 kg", "LS-NCL-5", 300_000, 5300, 7),
        ),
        Cert(4, "1879/QĐ-UBND", 11),
        name_en="Chi Lang custard apples",
    ),
    DemoProduct(  # its only certificate has expired: the page shows no stars
        "HTX Đặc sản Xứ Lạng",
        "Thạch đen Tràng Định",
        "thuc-pham",
        "thuc-pham-che-bien",
        "Thạch đen nấu từ cây sương sáo trồng ở Tràng Định, theo công thức truyền thống của "
        "người Tày. Thạch giòn dai, màu đen bóng, mát và thơm mùi thảo mộc. Sản phẩm dạng bột "
        "khô, dễ nấu tại nhà.",
        (
            V("Gói bột 100 g", "LS-TDTD-100", 35_000, 120, 90),
            V("Hộp 10 gói", "LS-TDTD-10", 320_000, 1250, 20),
        ),
        Cert(3, "1235/QĐ-UBND", 40),
        name_en="Trang Dinh black grass jelly",
    ),
    DemoProduct(
        "Tổ hợp tác Rượu men lá Mẫu Sơn",
        "Rượu Mẫu Sơn",
        "do-uong",
        "do-uong-co-con",
        "Rượu nấu từ gạo nếp nương và men lá rừng của người Dao, với nước suối đầu nguồn núi "
        "Mẫu Sơn. Rượu trong, 39 độ, êm và thơm mùi men lá. Mỗi mẻ được hạ thổ ít nhất ba "
        "tháng trước khi đóng chai.",
        (
            V("Chai 500 ml", "LS-RMS-500", 120_000, 950, 75),
            V("Bình 2 lít", "LS-RMS-2000", 420_000, 2800, 18),
        ),
        Cert(4, "2012/QĐ-UBND", 23),
        name_en="Mau Son leaf-yeast rice liquor",
    ),
    # Cà Mau
    DemoProduct(
        "HTX Ong mật U Minh Hạ",
        "Mật ong rừng U Minh",
        "thuc-pham",
        "nong-san-so-che",
        "Mật do ong khoái làm tổ trên kèo gác giữa rừng tràm U Minh Hạ, khai thác theo mùa hoa "
        "tràm. Mật màu hổ phách, sánh đặc, thơm mùi hoa tràm. Người gác kèo chỉ cắt phần tổ "
        "chứa mật, giữ lại tổ non để đàn ong tiếp tục sinh sống.",
        (
            V("Chai 500 ml", "CM-MORUM-500", 320_000, 720, 55),
            V("Chai 1 lít", "CM-MORUM-1000", 600_000, 1420, 18),
        ),
        Cert(4, "2540/QĐ-UBND", 6),
        name_en="U Minh melaleuca forest honey",
    ),
    DemoProduct(
        "HTX Ong mật U Minh Hạ",
        "Du lịch sinh thái rừng tràm U Minh Hạ",
        "du-lich",
        "du-lich-cong-dong",
        "Đi xuồng ba lá len lỏi trong rừng tràm, xem người dân gác kèo ong lấy mật, câu cá đồng "
        "và thưởng thức đặc sản miền sông nước. Chương trình nửa ngày có người hướng dẫn địa "
        "phương. Vé đã gồm xuồng, áo phao và bữa trưa.",
        (
            V("Vé người lớn (nửa ngày)", "CM-DLUM-NL", 350_000, 1, 40),
            V("Vé trẻ em dưới 12 tuổi", "CM-DLUM-TE", 180_000, 1, 30),
        ),
        Cert(3, "2019/QĐ-UBND", 30),
        name_en="U Minh Ha melaleuca forest eco-tour",
    ),
    DemoProduct(
        "Công ty Cổ phần Thủy sản Đất Mũi",
        "Tôm khô Rạch Gốc",
        "thuc-pham",
        "thuc-pham-che-bien",
        "Tôm đất nuôi quảng canh dưới tán rừng đước Ngọc Hiển, luộc chín và phơi nắng ngay "
        "trong ngày. Tôm khô màu đỏ cam tự nhiên, thịt chắc, ngọt, không phẩm màu. Đóng túi "
        "hút chân không, bảo quản ngăn mát được sáu tháng.",
        (
            V("Túi 250 g", "CM-TKRG-250", 390_000, 270, 60),
            V("Hộp 500 g", "CM-TKRG-500", 760_000, 560, 25),
        ),
        Cert(5, "3126/QĐ-BNNMT", 10),
        name_en="Rach Goc dried shrimp",
    ),
    DemoProduct(
        "Công ty Cổ phần Thủy sản Đất Mũi",
        "Cua gạch Cà Mau",
        "thuc-pham",
        "nong-san-tuoi",
        "Cua biển nuôi trong rừng đước Năm Căn, chọn những con cua gạch chắc, đầy gạch son. "
        "Cua được buộc dây, đóng thùng xốp giữ lạnh và giao trong 24 đến 48 giờ. Mỗi kilôgam "
        "có khoảng 3 đến 4 con.",
        (
            V("Thùng 1 kg (3–4 con)", "CM-CGCM-1", 520_000, 1800, 20),
            V("Thùng 2 kg (6–8 con)", "CM-CGCM-2", 1_000_000, 3300, 8),
        ),
        Cert(4, "2540/QĐ-UBND", 6),
        name_en="Ca Mau roe crab",
    ),
    # Tây Ninh (with Long An before 2025)
    DemoProduct(
        "Hộ kinh doanh Bánh tráng Út Hạnh",
        "Bánh tráng phơi sương Trảng Bàng",
        "thuc-pham",
        "thuc-pham-che-bien",
        "Bánh tráng tráng mỏng từ gạo, nướng trên than hồng rồi phơi sương đêm theo nghề truyền "
        "thống Trảng Bàng. Bánh dẻo, mềm, không cần nhúng nước, cuốn thịt luộc và rau rừng rất "
        "ngon. Mỗi xấp có khoảng 20 đến 25 bánh.",
        (
            V("Xấp 500 g", "TN-BTPS-500", 65_000, 520, 140),
            V("Thùng 10 xấp", "TN-BTPS-10", 600_000, 5300, 30),
        ),
        Cert(4, "1574/QĐ-UBND", 19),
        name_en="Trang Bang dew-dried rice paper",
    ),
    DemoProduct(
        "Hộ kinh doanh Bánh tráng Út Hạnh",
        "Muối tôm Tây Ninh",
        "thuc-pham",
        "gia-vi",
        "Muối hột rang cùng tôm khô xay, ớt và tỏi theo công thức của người Tây Ninh. Muối tôm "
        "màu cam đỏ, mặn cay vừa phải, dùng chấm trái cây hoặc ăn kèm bánh tráng. Hũ có nắp "
        "kín, dùng được sáu tháng.",
        (
            V("Hũ 200 g", "TN-MT-200", 35_000, 240, 200),
            V("Hũ 500 g", "TN-MT-500", 80_000, 560, 110),
        ),
        Cert(4, "1574/QĐ-UBND", 19),
        name_en="Tay Ninh shrimp salt",
    ),
    DemoProduct(
        "HTX Lúa gạo Chợ Đào",
        "Gạo Nàng thơm Chợ Đào",
        "thuc-pham",
        "nong-san-so-che",
        "Gạo từ giống lúa Nàng thơm Chợ Đào, đặc sản của Cần Đước, Long An cũ. Hạt gạo nhỏ, "
        "trong, cơm dẻo, thơm và vẫn mềm khi để nguội. Gạo được xay mới mỗi tuần và đóng túi "
        "hút chân không.",
        (
            V("Túi 2 kg", "TN-GNTCD-2", 70_000, 2050, 120),
            V("Túi 5 kg", "TN-GNTCD-5", 165_000, 5100, 85),
        ),
        Cert(4, "2671/QĐ-UBND", 3),
        name_en="Cho Dao fragrant rice",
    ),
    # Vĩnh Long (with Bến Tre and Trà Vinh before 2025)
    DemoProduct(
        "Công ty TNHH Kẹo dừa Mỏ Cày",
        "Kẹo dừa Bến Tre",
        "thuc-pham",
        "thuc-pham-che-bien",
        "Kẹo dừa nấu từ nước cốt dừa tươi Mỏ Cày, mạch nha và đường theo nghề truyền thống của "
        "xứ dừa Bến Tre. Kẹo mềm dẻo, béo ngậy, có vị sữa, lá dứa và sầu riêng. Mỗi viên được "
        "gói bằng bánh tráng bột gạo ăn được.",
        (
            V("Túi 250 g", "VL-KDBT-250", 38_000, 270, 180),
            V("Hộp 500 g", "VL-KDBT-500", 72_000, 560, 4),
        ),
        Cert(5, "2984/QĐ-BNNMT", 7),
        name_en="Ben Tre coconut candy",
    ),
    DemoProduct(
        "Công ty TNHH Kẹo dừa Mỏ Cày",
        "Dầu dừa nguyên chất Mỏ Cày",
        "duoc-lieu",
        "my-pham",
        "Dầu dừa ép lạnh từ cơm dừa tươi, không qua nhiệt độ cao nên giữ mùi thơm dịu và "
        "vitamin E tự nhiên. Dùng dưỡng da, dưỡng tóc hoặc nấu ăn. Đóng chai thủy tinh, bảo "
        "quản nơi thoáng mát.",
        (
            V("Chai 100 ml", "VL-DDMC-100", 55_000, 180, 95),
            V("Chai 250 ml", "VL-DDMC-250", 115_000, 380, 60),
        ),
        Cert(3, "1732/QĐ-UBND", 25),
        name_en="Cold-pressed virgin coconut oil",
    ),
    DemoProduct(
        "Công ty TNHH Kẹo dừa Mỏ Cày",
        "Bộ chén gáo dừa Mỏ Cày",
        "thu-cong-my-nghe",
        "thu-cong-my-nghe",
        "Chén làm từ gáo dừa già, chà nhám, đánh bóng và phủ dầu dừa an toàn thực phẩm. Mỗi "
        "chiếc có vân gáo tự nhiên riêng, nhẹ và bền. Bộ gồm bốn chén và bốn muỗng gỗ dừa.",
        (V("Bộ 4 chén, 4 muỗng", "VL-BCGD-4", 180_000, 650, 35),),
        Cert(3, "1732/QĐ-UBND", 25),
        name_en="Coconut shell bowl set",
    ),
    DemoProduct(
        "Công ty TNHH Kẹo dừa Mỏ Cày",
        "Nước dừa xiêm Bến Tre",
        "do-uong",
        "do-uong-khong-con",
        "Nước dừa xiêm xanh nguyên chất, tiệt trùng và đóng chai ngay trong ngày thu hoạch. Vị "
        "ngọt thanh tự nhiên, không thêm đường, giàu khoáng chất. Uống lạnh ngon hơn.",
        (
            V("Chai 330 ml", "VL-NDX-330", 18_000, 380, 200),
            V("Thùng 24 chai", "VL-NDX-24", 390_000, 9500, 40),
        ),
        Cert(3, "2877/QĐ-UBND", 2),
        name_en="Ben Tre green coconut water",
    ),
    DemoProduct(
        "Tổ hợp tác Bánh tét Trà Cuôn",
        "Bánh tét Trà Cuôn",
        "thuc-pham",
        "thuc-pham-che-bien",
        "Bánh tét làng Trà Cuôn gói lá chuối, nhân đậu xanh, thịt ba chỉ và trứng muối, luộc "
        "liên tục tám tiếng trên bếp củi. Nếp dẻo thơm, nhân béo bùi, để được năm ngày ở nhiệt "
        "độ thường. Đặt trước một ngày để có bánh mới luộc.",
        (
            V("Đòn 1 kg", "VL-BTTC-1", 150_000, 1100, 25),
            V("Đòn 2 kg", "VL-BTTC-2", 280_000, 2150, 10),
        ),
        Cert(4, "2398/QĐ-UBND", 13),
        name_en="Tra Cuon sticky rice cake",
    ),
    DemoProduct(
        "HTX Cây kiểng Cái Mơn",
        "Mai vàng bonsai Cái Mơn",
        "sinh-vat-canh",
        "cay-canh",
        "Cây mai vàng được nhà vườn Cái Mơn uốn thế bonsai từ ba đến năm năm, dáng trực hoặc "
        "thác đổ. Cây trồng trong chậu sứ, đã lặt lá đúng kỳ để nở hoa dịp Tết. Giao hàng kèm "
        "hướng dẫn chăm sóc.",
        (
            V("Chậu cao 50 cm", "VL-MVCM-50", 850_000, 8000, 12),
            V("Chậu cao 80 cm", "VL-MVCM-80", 2_400_000, 20_000, 2),
        ),
        Cert(3, "1987/QĐ-UBND", 35),
        name_en="Cai Mon yellow apricot bonsai",
    ),
    DemoProduct(
        "HTX Cây kiểng Cái Mơn",
        "Bưởi da xanh Chợ Lách",
        "thuc-pham",
        "nong-san-tuoi",
        "Bưởi da xanh trồng theo tiêu chuẩn VietGAP trên đất cù lao Chợ Lách. Múi bưởi màu "
        "hồng, tép ráo, ngọt thanh và rất ít hạt. Mỗi quả nặng từ 1,2 đến 2 kg.",
        (
            V("Quả 1,5 kg", "VL-BDX-1", 75_000, 1600, 100),
            V("Thùng 4 quả", "VL-BDX-4", 280_000, 6500, 30),
        ),
        Cert(4, "2398/QĐ-UBND", 13),
        name_en="Cho Lach green-skin pomelo",
    ),
    # Sơn La
    DemoProduct(
        "HTX Nông nghiệp Mộc Châu Xanh",
        "Trà Ô long Mộc Châu",
        "thuc-pham",
        "che-tra",
        "Trà Ô long từ giống chè Kim Tuyên trồng trên cao nguyên Mộc Châu, lên men một phần theo "
        "quy trình Đài Loan. Viên trà xoăn chặt, nước vàng sánh, hương hoa và vị ngọt hậu kéo "
        "dài. Pha được nhiều nước.",
        (
            V("Hộp 100 g", "SL-TOLMC-100", 150_000, 180, 80),
            V("Hộp 250 g", "SL-TOLMC-250", 350_000, 380, 40),
        ),
        Cert(4, "1490/QĐ-UBND", 20),
        name_en="Moc Chau oolong tea",
    ),
    DemoProduct(
        "HTX Nông nghiệp Mộc Châu Xanh",
        "Cà phê Arabica Sơn La",
        "thuc-pham",
        "ca-phe-ca-cao",
        "Cà phê Arabica trồng dưới bóng cây ở độ cao trên 800 m, hái chín từng quả và sơ chế "
        "ướt. Hạt rang mộc vừa, vị chua thanh, hương trái cây và caramel. Có dạng hạt và xay "
        "sẵn để pha phin.",
        (
            V("Gói 250 g hạt", "SL-CPA-250", 125_000, 270, 100),
            V("Gói 500 g xay pha phin", "SL-CPA-500", 230_000, 530, 55),
        ),
        Cert(4, "1490/QĐ-UBND", 20),
        name_en="Son La Arabica coffee",
    ),
    DemoProduct(
        "HTX Nông nghiệp Mộc Châu Xanh",
        "Mận hậu Mộc Châu",
        "thuc-pham",
        "nong-san-tuoi",
        "Mận hậu chín cây trên cao nguyên Mộc Châu: quả to, vỏ xanh pha đỏ tía, giòn, ngọt lẫn "
        "chua. Mùa mận chỉ từ tháng 5 đến tháng 7, ngoài mùa sản phẩm tạm hết hàng. Mận đóng "
        "thùng carton có lỗ thoáng để giữ độ tươi.",
        (
            V("Thùng 3 kg", "SL-MHMC-3", 150_000, 3200, 0),
            V("Thùng 5 kg", "SL-MHMC-5", 240_000, 5300, 0),
        ),
        Cert(3, "1490/QĐ-UBND", 20),
        name_en="Moc Chau plums",
    ),
    DemoProduct(  # its certificate waits for an admin to verify it: no stars yet
        "HTX Nông nghiệp Mộc Châu Xanh",
        "Lan hồ điệp Mộc Châu",
        "sinh-vat-canh",
        "hoa",
        "Lan hồ điệp trồng trong nhà màng trên cao nguyên Mộc Châu; khí hậu mát giúp hoa lâu "
        "tàn và màu đậm. Mỗi chậu là cây đang nở, đã cắm que giữ cành. Hoa bền hai đến ba tháng "
        "nếu đặt nơi thoáng, tránh nắng gắt.",
        (
            V("Chậu 3 cành", "SL-LHD-3", 650_000, 3500, 15),
            V("Chậu 5 cành", "SL-LHD-5", 1_050_000, 5500, 8),
        ),
        Cert(3, "2788/QĐ-UBND", 1, verified=False),
        name_en="Moc Chau moth orchids",
    ),
    # Hà Nội
    DemoProduct(
        "Công ty TNHH Gốm sứ Men Lam Bát Tràng",
        "Bộ ấm chén men lam Bát Tràng",
        "thu-cong-my-nghe",
        "thu-cong-my-nghe",
        "Bộ ấm chén vuốt tay, vẽ hoa sen bằng men lam cổ trên nền men trắng ngà của làng gốm "
        "Bát Tràng. Gốm nung ở 1.300 °C nên cứng, không ngấm nước, an toàn khi pha trà nóng. "
        "Bộ gồm một ấm 450 ml, sáu chén và một khay.",
        (V("Bộ 6 chén", "HN-BAC-6", 980_000, 2600, 18),),
        Cert(5, "3310/QĐ-BNNMT", 4),
        name_en="Bat Trang blue-glaze tea set",
    ),
    DemoProduct(
        "Công ty TNHH Gốm sứ Men Lam Bát Tràng",
        "Bình hút lộc gốm men rạn Bát Tràng",
        "thu-cong-my-nghe",
        "thu-cong-my-nghe",
        "Bình hút lộc dáng bầu, men rạn cổ màu vàng ngà, đắp nổi tích rồng mây hoặc hoa sen. "
        "Làm quà tân gia, khai trương hay trang trí phòng khách. Mỗi bình có chữ ký nghệ nhân "
        "dưới đáy.",
        (
            V("Cao 30 cm", "HN-BHL-30", 1_200_000, 3500, 9),
            V("Cao 40 cm", "HN-BHL-40", 1_950_000, 6000, 3),
        ),
        Cert(4, "4512/QĐ-UBND", 27),
        name_en="Bat Trang crackle-glaze vase",
    ),
)
