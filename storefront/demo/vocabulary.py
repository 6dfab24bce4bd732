"""Vietnamese word lists for synthetic catalogues (`flask demo generate`).

Each kind of product has a base name, its OCOP group and sub-group, qualifiers that
make names varied ("Mật ong" + "hoa cà phê" + the producer's place), pack sizes with a
price range, and a weight that says how common it is.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pack:
    label: str
    grams: int
    price_low: int
    price_high: int


@dataclass(frozen=True)
class Kind:
    base: str
    group: str
    subgroup: str
    qualifiers: tuple[str, ...]
    packs: tuple[Pack, ...]
    blurb: str  # one sentence for the description
    weight: int = 10


def _packs(*rows: tuple[str, int, int, int]) -> tuple[Pack, ...]:
    return tuple(Pack(*row) for row in rows)


HONEY = _packs(
    ("Chai 250 ml", 350, 110_000, 190_000),
    ("Chai 500 ml", 700, 200_000, 360_000),
    ("Chai 1 lít", 1400, 380_000, 650_000),
)
RICE = _packs(
    ("Túi 2 kg", 2050, 50_000, 110_000),
    ("Túi 5 kg", 5100, 120_000, 260_000),
    ("Bao 10 kg", 10_200, 230_000, 480_000),
)
TEA = _packs(
    ("Gói 100 g", 130, 60_000, 180_000),
    ("Hộp 200 g", 300, 120_000, 350_000),
    ("Hộp 500 g", 650, 280_000, 800_000),
)
COFFEE = _packs(
    ("Gói 250 g", 270, 70_000, 160_000),
    ("Gói 500 g", 530, 130_000, 300_000),
    ("Túi 1 kg", 1050, 250_000, 560_000),
)
SPICE = _packs(("Hũ 100 g", 160, 25_000, 70_000), ("Túi 500 g", 520, 90_000, 250_000))
SAUCE = _packs(("Chai 500 ml", 750, 45_000, 160_000), ("Can 2 lít", 2400, 150_000, 420_000))
DRIED = _packs(("Gói 250 g", 270, 90_000, 420_000), ("Gói 500 g", 530, 170_000, 800_000))
SNACK = _packs(("Túi 250 g", 270, 25_000, 70_000), ("Hộp 500 g", 560, 50_000, 140_000))
FRUIT = _packs(("Hộp 2 kg", 2200, 60_000, 200_000), ("Thùng 5 kg", 5300, 140_000, 450_000))
FRESH = _packs(("Túi 1 kg", 1050, 20_000, 80_000), ("Túi 5 kg", 5100, 90_000, 350_000))
NEST = _packs(("Hộp 50 g", 150, 1_200_000, 2_500_000), ("Hộp 100 g", 250, 2_300_000, 4_800_000))
LIQUOR = _packs(("Chai 500 ml", 950, 80_000, 260_000), ("Bình 2 lít", 2800, 280_000, 700_000))
JUICE = _packs(("Chai 330 ml", 380, 15_000, 45_000), ("Thùng 24 chai", 9500, 320_000, 900_000))
OIL = _packs(("Chai 10 ml", 60, 40_000, 120_000), ("Chai 50 ml", 140, 150_000, 400_000))
EXTRACT = _packs(("Hộp 100 g", 180, 90_000, 300_000), ("Hộp 250 g", 380, 200_000, 650_000))
SOAP = _packs(("Bánh 100 g", 120, 25_000, 60_000), ("Hộp 4 bánh", 500, 90_000, 220_000))
CRAFT = _packs(
    ("Cỡ nhỏ", 400, 80_000, 300_000),
    ("Cỡ vừa", 900, 180_000, 650_000),
    ("Cỡ lớn", 1800, 350_000, 1_500_000),
)
TEXTILE = _packs(("Chiếc", 300, 150_000, 900_000), ("Bộ 2 chiếc", 600, 280_000, 1_700_000))
PLANT = _packs(("Chậu nhỏ", 2500, 150_000, 600_000), ("Chậu lớn", 12_000, 700_000, 4_000_000))
TOUR = _packs(
    ("Vé người lớn", 1, 80_000, 600_000),
    ("Vé trẻ em", 1, 40_000, 300_000),
    ("Gói 2 ngày 1 đêm", 1, 600_000, 2_500_000),
)

KINDS: tuple[Kind, ...] = (
    Kind(
        "Mật ong",
        "thuc-pham",
        "nong-san-so-che",
        ("hoa Ban", "rừng", "hoa cà phê", "hoa nhãn", "hoa vải", "bạc hà", "hoa tràm"),
        HONEY,
        "Mật ong nguyên chất, lọc và đóng chai thủ công, không pha đường.",
        14,
    ),
    Kind(
        "Gạo",
        "thuc-pham",
        "nong-san-so-che",
        ("Séng Cù", "tám thơm", "nếp cái hoa vàng", "ST25", "Nàng thơm", "lứt đỏ", "nếp nương"),
        RICE,
        "Gạo mới xay, hạt đều, cơm dẻo và thơm.",
        14,
    ),
    Kind(
        "Chè",
        "thuc-pham",
        "che-tra",
        ("Shan tuyết", "xanh", "móc câu", "búp", "Ô long", "sen"),
        TEA,
        "Búp chè hái tay, sao thủ công, nước xanh vàng và hậu ngọt.",
        12,
    ),
    Kind(
        "Cà phê",
        "thuc-pham",
        "ca-phe-ca-cao",
        ("Robusta rang xay", "Arabica", "hạt rang mộc", "phin truyền thống", "chồn"),
        COFFEE,
        "Cà phê hái chín, rang mộc, đậm vị và thơm lâu.",
        9,
    ),
    Kind(
        "Ca cao",
        "thuc-pham",
        "ca-phe-ca-cao",
        ("nguyên chất", "bột", "hạt lên men"),
        COFFEE,
        "Hạt ca cao lên men tự nhiên, vị đắng nhẹ và thơm.",
        3,
    ),
    Kind(
        "Hồ tiêu",
        "thuc-pham",
        "gia-vi",
        ("đen", "đỏ", "sọ", "xanh"),
        SPICE,
        "Hạt tiêu chín đều, phơi khô tự nhiên, cay nồng.",
        6,
    ),
    Kind(
        "Nước mắm",
        "thuc-pham",
        "gia-vi",
        ("cá cơm", "truyền thống", "nhĩ", "cá linh"),
        SAUCE,
        "Ủ chượp trong thùng gỗ từ 12 tháng, đạm cao, không chất bảo quản.",
        6,
    ),
    Kind(
        "Muối",
        "thuc-pham",
        "gia-vi",
        ("tôm", "ớt", "sả", "hạt rang"),
        SPICE,
        "Muối hột rang theo công thức gia truyền.",
        4,
    ),
    Kind(
        "Hoa hồi",
        "thuc-pham",
        "gia-vi",
        ("khô", "tám cánh"),
        SPICE,
        "Hồi phơi nắng đến khi nâu đỏ, cánh to và thơm đậm.",
        3,
    ),
    Kind(
        "Thịt trâu gác bếp",
        "thuc-pham",
        "thuc-pham-che-bien",
        ("", "tẩm mắc khén", "cay"),
        DRIED,
        "Thịt tẩm gia vị núi rừng, hun khói trên gác bếp.",
        5,
    ),
    Kind(
        "Thịt lợn khô",
        "thuc-pham",
        "thuc-pham-che-bien",
        ("", "gác bếp", "lá mắc mật"),
        DRIED,
        "Thịt lợn bản tẩm gia vị, sấy khô giữ vị ngọt.",
        4,
    ),
    Kind(
        "Lạp xưởng",
        "thuc-pham",
        "thuc-pham-che-bien",
        ("tôm", "heo", "tươi"),
        DRIED,
        "Nhồi thủ công, phơi nắng, không phẩm màu.",
        4,
    ),
    Kind(
        "Tôm khô",
        "thuc-pham",
        "thuc-pham-che-bien",
        ("loại 1", "đất", "thẻ"),
        DRIED,
        "Tôm luộc và phơi ngay trong ngày, màu đỏ tự nhiên.",
        4,
    ),
    Kind(
        "Khô cá",
        "thuc-pham",
        "thuc-pham-che-bien",
        ("lóc", "dứa", "sặc", "chỉ vàng"),
        DRIED,
        "Cá làm sạch, ướp nhạt và phơi nắng.",
        4,
    ),
    Kind(
        "Bánh tráng",
        "thuc-pham",
        "thuc-pham-che-bien",
        ("phơi sương", "nướng", "dừa", "mè"),
        SNACK,
        "Bánh tráng tráng tay, phơi nắng tự nhiên.",
        5,
    ),
    Kind(
        "Kẹo",
        "thuc-pham",
        "thuc-pham-che-bien",
        ("dừa", "lạc", "gừng", "mè xửng"),
        SNACK,
        "Kẹo nấu thủ công, ngọt vừa, gói giấy bột gạo.",
        5,
    ),
    Kind(
        "Bánh",
        "thuc-pham",
        "thuc-pham-che-bien",
        ("pía", "tét", "gai", "chưng", "cốm"),
        SNACK,
        "Bánh làm theo nghề truyền thống, nhân đậm đà.",
        5,
    ),
    Kind(
        "Miến dong",
        "thuc-pham",
        "thuc-pham-che-bien",
        ("", "sợi nhỏ"),
        SNACK,
        "Sợi miến dai, trong, làm từ củ dong riềng.",
        3,
    ),
    Kind(
        "Yến sào",
        "thuc-pham",
        "thuc-pham-che-bien",
        ("tinh chế", "thô", "sợi"),
        NEST,
        "Tổ yến làm sạch thủ công, không chất tẩy trắng.",
        3,
    ),
    Kind(
        "Bưởi",
        "thuc-pham",
        "nong-san-tuoi",
        ("da xanh", "Năm Roi", "Diễn", "Phúc Trạch"),
        FRUIT,
        "Quả chín cây, múi mọng và ngọt thanh.",
        4,
    ),
    Kind(
        "Cam",
        "thuc-pham",
        "nong-san-tuoi",
        ("sành", "Vinh", "Cao Phong", "đường"),
        FRUIT,
        "Cam chín cây, mọng nước, vị ngọt đậm.",
        4,
    ),
    Kind(
        "Nhãn",
        "thuc-pham",
        "nong-san-tuoi",
        ("lồng", "xuồng", "Ido"),
        FRUIT,
        "Nhãn cùi dày, hạt nhỏ, ngọt sắc.",
        3,
    ),
    Kind(
        "Xoài",
        "thuc-pham",
        "nong-san-tuoi",
        ("cát Hòa Lộc", "tứ quý", "keo"),
        FRUIT,
        "Xoài chín cây, thịt vàng, thơm.",
        3,
    ),
    Kind("Na", "thuc-pham", "nong-san-tuoi", ("dai", "bở"), FRUIT, "Quả to, ít hạt, ngọt đậm.", 2),
    Kind(
        "Lạc đỏ",
        "thuc-pham",
        "nong-san-so-che",
        ("", "hạt nhỏ"),
        FRESH,
        "Lạc phơi khô tự nhiên, hạt đều, nhiều dầu.",
        2,
    ),
    Kind(
        "Khoai",
        "thuc-pham",
        "nong-san-tuoi",
        ("sọ", "lang mật", "môn"),
        FRESH,
        "Củ bở, dẻo, thu hoạch theo mùa.",
        3,
    ),
    Kind(
        "Rượu",
        "do-uong",
        "do-uong-co-con",
        ("ngô men lá", "nếp cái", "mơ", "táo mèo", "cần", "sim"),
        LIQUOR,
        "Nấu bằng men lá truyền thống, hạ thổ trước khi đóng chai.",
        10,
    ),
    Kind(
        "Nước ép",
        "do-uong",
        "do-uong-khong-con",
        ("chanh leo", "dứa", "táo mèo", "cam"),
        JUICE,
        "Ép từ trái cây tươi, không thêm chất bảo quản.",
        5,
    ),
    Kind(
        "Nước yến",
        "do-uong",
        "do-uong-khong-con",
        ("đường phèn", "ít đường"),
        JUICE,
        "Yến chưng sẵn, đóng lọ thủy tinh tiệt trùng.",
        3,
    ),
    Kind(
        "Trà thảo mộc",
        "do-uong",
        "do-uong-khong-con",
        ("atiso", "hoa cúc", "gừng mật ong"),
        JUICE,
        "Thảo mộc sấy lạnh, pha uống hằng ngày.",
        3,
    ),
    Kind(
        "Tinh dầu",
        "duoc-lieu",
        "duoc-lieu-khac",
        ("hồi", "quế", "sả chanh", "bưởi", "tràm"),
        OIL,
        "Chưng cất hơi nước, nguyên chất, chai nắp nhỏ giọt.",
        6,
    ),
    Kind(
        "Cao",
        "duoc-lieu",
        "thuc-pham-chuc-nang",
        ("atiso", "dây thìa canh", "chè vằng"),
        EXTRACT,
        "Cao dược liệu cô đặc theo quy trình GMP.",
        4,
    ),
    Kind(
        "Trà túi lọc",
        "duoc-lieu",
        "thuc-pham-chuc-nang",
        ("giảo cổ lam", "đinh lăng", "hoa cúc"),
        EXTRACT,
        "Dược liệu trồng sạch, sấy khô và đóng túi lọc.",
        4,
    ),
    Kind(
        "Xà bông",
        "duoc-lieu",
        "my-pham",
        ("dừa", "nghệ", "sả", "quế"),
        SOAP,
        "Xà bông thiên nhiên làm thủ công, dịu nhẹ với da.",
        3,
    ),
    Kind(
        "Giỏ",
        "thu-cong-my-nghe",
        "thu-cong-my-nghe",
        ("mây tre", "lục bình", "cói"),
        CRAFT,
        "Đan tay bởi nghệ nhân làng nghề, bền và nhẹ.",
        4,
    ),
    Kind(
        "Gốm",
        "thu-cong-my-nghe",
        "thu-cong-my-nghe",
        ("men lam", "men rạn", "đất nung"),
        CRAFT,
        "Vuốt tay và nung ở nhiệt độ cao.",
        3,
    ),
    Kind(
        "Nón lá",
        "thu-cong-my-nghe",
        "thu-cong-my-nghe",
        ("bài thơ", "truyền thống"),
        CRAFT,
        "Chằm tay từ lá cọ phơi sương.",
        2,
    ),
    Kind(
        "Khăn thổ cẩm",
        "thu-cong-my-nghe",
        "det-may",
        ("", "dệt tay"),
        TEXTILE,
        "Dệt tay trên khung cửi với hoa văn truyền thống.",
        3,
    ),
    Kind(
        "Lan",
        "sinh-vat-canh",
        "hoa",
        ("hồ điệp", "rừng", "kiếm"),
        PLANT,
        "Cây khỏe, đang ra hoa, kèm hướng dẫn chăm sóc.",
        3,
    ),
    Kind(
        "Mai vàng bonsai",
        "sinh-vat-canh",
        "cay-canh",
        ("", "dáng trực"),
        PLANT,
        "Uốn thế nhiều năm, trồng chậu sứ.",
        2,
    ),
    Kind(
        "Du lịch cộng đồng",
        "du-lich",
        "du-lich-cong-dong",
        ("bản", "làng nghề", "sinh thái"),
        TOUR,
        "Trải nghiệm đời sống, ẩm thực và nghề truyền thống cùng người dân.",
        3,
    ),
)

PRODUCER_TRADES = (
    "Nông sản",
    "Đặc sản",
    "Nông nghiệp",
    "Thực phẩm sạch",
    "Dược liệu",
    "Nông lâm sản",
    "Chế biến nông sản",
    "Dịch vụ nông nghiệp",
    "Thủ công mỹ nghệ",
    "Sản xuất và thương mại",
)
FAMILY_NAMES = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Lò",
    "Giàng",
    "Quàng",
    "Lý",
    "Triệu",
    "Đinh",
    "Bùi",
    "Đặng",
    "Thạch",
    "Danh",
)
GIVEN_NAMES = (
    "Văn Thắng",
    "Thị Hoa",
    "A Páo",
    "Thị Lan",
    "Văn Hùng",
    "Thị Mai",
    "Văn Ơn",
    "Minh Tuấn",
    "Thị Hạnh",
    "Quốc Bảo",
    "Thị Ngọc",
    "Văn Sơn",
    "Thị Thu",
)
PLACE_WORDS = ("Bản", "Thôn", "Ấp", "Xóm", "Tổ dân phố")
VILLAGE_NAMES = (
    "Na Sang",
    "Huổi Hốc",
    "Tân Lập",
    "Đồng Tâm",
    "Phú Hòa",
    "Bình An",
    "Hòa Bình",
    "Thái Bình",
    "Mường Khoa",
    "Long Thạnh",
    "Tân Thành",
    "Thạnh Phú",
)
PHONE_PREFIXES = (
    "090",
    "091",
    "093",
    "094",
    "096",
    "097",
    "098",
    "086",
    "088",
    "032",
    "033",
    "035",
    "037",
    "039",
    "070",
    "076",
    "077",
    "079",
    "081",
    "083",
    "085",
    "056",
)
