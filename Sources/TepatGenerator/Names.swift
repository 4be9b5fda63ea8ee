/// Names for synthetic places and the real agencies, funders and programs of a
/// kabupaten. Agencies use their real Indonesian names (every kabupaten has
/// them); companies are fictional, so no real firm is implied to fund anything.
enum Names {
    /// (id, name, pillars) of regional agencies (OPD) that accompany villages.
    static let opds: [(String, String, [String])] = [
        ("DINSOS", "Dinas Sosial", ["social", "health"]),
        ("DINKES", "Dinas Kesehatan", ["health"]),
        ("DISDIK", "Dinas Pendidikan", ["education"]),
        ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", ["housing", "environment"]),
        ("DISPERKIM", "Dinas Perumahan dan Kawasan Permukiman", ["housing", "environment"]),
        ("DLH", "Dinas Lingkungan Hidup", ["environment"]),
        ("DISPERTA", "Dinas Pertanian", ["economy"]),
        ("DISKAN", "Dinas Perikanan", ["economy"]),
        ("DISKOPUM", "Dinas Koperasi dan Usaha Mikro", ["economy"]),
        ("DISNAKER", "Dinas Tenaga Kerja", ["economy", "education"]),
        ("DISPERINDAG", "Dinas Perindustrian dan Perdagangan", ["economy"]),
        ("DP3AKB", "Dinas Pemberdayaan Perempuan, Perlindungan Anak dan Keluarga Berencana", ["social", "health"]),
        ("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", ["economy", "social"]),
        ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", ["social"]),
        ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", ["economy", "social"]),
        ("DISHUB", "Dinas Perhubungan", ["economy"]),
        ("DISPORA", "Dinas Kepemudaan dan Olahraga", ["education"]),
        ("DISPAR", "Dinas Pariwisata", ["economy"]),
        ("DKP", "Dinas Ketahanan Pangan", ["health", "economy"]),
        ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", ["economy"]),
        ("BPBD", "Badan Penanggulangan Bencana Daerah", ["environment", "social"]),
        ("DISKOMINFO", "Dinas Komunikasi dan Informatika", ["education"]),
        ("DISPUSIP", "Dinas Perpustakaan dan Kearsipan", ["education"]),
        ("SATPOLPP", "Satuan Polisi Pamong Praja", ["social"]),
        ("RSUD", "Rumah Sakit Umum Daerah", ["health"]),
        ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", ["economy"]),
        ("BAPENDA", "Badan Pendapatan Daerah", ["economy"]),
        ("INSPEKTORAT", "Inspektorat Daerah", ["social"]),
        ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", ["education"]),
        ("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", ["social"]),
        ("SETDA_KESRA", "Sekretariat Daerah Bagian Kesejahteraan Rakyat", ["social", "health"]),
        ("SETDA_PEREK", "Sekretariat Daerah Bagian Perekonomian", ["economy"]),
        ("DISPERTANAH", "Dinas Pertanahan", ["housing"]),
        ("DISNAK", "Dinas Peternakan dan Kesehatan Hewan", ["economy"]),
        ("DISHUTBUN", "Dinas Kehutanan dan Perkebunan", ["economy", "environment"]),
        ("DPKP", "Dinas Pengairan dan Sumber Daya Air", ["environment"]),
        ("DISBUD", "Dinas Kebudayaan", ["education", "social"]),
        ("BALITBANGDA", "Badan Penelitian dan Pengembangan Daerah", ["education"]),
        ("DISARPUS", "Dinas Arsip Daerah", ["education"]),
        ("DISDAMKAR", "Dinas Pemadam Kebakaran dan Penyelamatan", ["environment"]),
        ("PKK", "Tim Penggerak PKK", ["health", "social"]),
        ("BAZDA_UPZ", "Unit Pengumpul Zakat ASN", ["social"]),
    ]

    /// (id, name) of fictional CSR companies (TJSLP), one per industry typical of Java.
    static let companies: [(String, String, [String])] = [
        ("CSR_SEMEN", "PT Semen Nusantara Raya", ["housing", "environment", "economy"]),
        ("CSR_GULA", "PT Pabrik Gula Sumber Manis", ["economy", "health"]),
        ("CSR_ENERGI", "PT Energi Daya Mandiri", ["environment", "education"]),
        ("CSR_BANK", "Bank Pembangunan Daerah (CSR)", ["economy", "education"]),
        ("CSR_PANGAN", "PT Pangan Sejahtera Abadi", ["health", "social"]),
        ("CSR_TEKSTIL", "PT Tekstil Jaya Makmur", ["economy", "education"]),
        ("CSR_KIMIA", "PT Kimia Lestari Indonesia", ["environment", "health"]),
        ("CSR_BAJA", "PT Baja Perkasa Utama", ["housing", "education"]),
    ]

    /// Programs with rupiah unit costs (per household reached) and the monthly
    /// per-capita consumption they are expected to add.
    static let programs: [(id: String, pillar: String, cost: Int, deprivation: String, uplift: Int)] = [
        ("RTLH", "housing", 20_000_000, "housing", 45_000),            // Rehabilitasi Rumah Tidak Layak Huni
        ("JAMBAN", "environment", 3_500_000, "sanitation", 12_000),     // jamban sehat + septic tank
        ("AIR_BERSIH", "environment", 2_500_000, "water", 10_000),      // sambungan air bersih
        ("LISTRIK", "environment", 1_500_000, "energy", 8_000),         // sambungan listrik gratis
        ("BEASISWA", "education", 3_000_000, "schooling", 25_000),      // kembali sekolah
        ("JKN_DAERAH", "health", 1_800_000, "health", 20_000),          // premi JKN/PBI daerah
        ("MODAL_USAHA", "economy", 5_000_000, "livelihood", 60_000),    // modal usaha mikro
        ("ASLUT", "social", 2_400_000, "social_care", 30_000),          // asistensi lanjut usia/disabilitas
    ]

    static let prefixes = ["Sumber", "Karang", "Tanjung", "Sido", "Wono", "Banyu", "Kali", "Tegal", "Ngadi", "Pandan", "Jati", "Kedung", "Sri", "Mekar", "Suka", "Rejo", "Gunung", "Bojong", "Tirto", "Margo"]
    static let suffixes = ["rejo", "sari", "mulyo", "jaya", "agung", "makmur", "asri", "harjo", "wangi", "kerto", "luhur", "mukti", "rahayu", "kencana", "indah", "tengah", "kidul", "lor", "wetan", "kulon"]

    static func place(_ index: Int) -> String {
        let p = prefixes[index % prefixes.count]
        let s = suffixes[(index / prefixes.count + index * 7) % suffixes.count]
        let name = p + s
        let round = index / (prefixes.count * suffixes.count)
        return round == 0 ? name : "\(name) \(["I", "II", "III", "IV", "V"][min(round, 4)])"
    }
}
