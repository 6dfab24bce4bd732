"""Trade fairs: the online twin of a physical fair, its exhibitors' booths, featured
products with fair prices, the home page's curated products, and the fair's report."""
