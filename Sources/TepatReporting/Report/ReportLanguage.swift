import Foundation
import TepatAllocation
import TepatScoring
import TepatScenario

/// Labels and number formats of the report in one language.
struct ReportText {
    let language: ReportLanguage
    var objective = AllocationObjective.severity

    /// A label, with the allocation's measure named where the label speaks of it.
    func callAsFunction(_ key: Label) -> String {
        let text = language == .indonesian ? key.indonesian : key.english
        return text.replacingOccurrences(of: "{measure}", with: measure).replacingOccurrences(of: "{P}", with: objective.rawValue.uppercased())
    }

    /// What the allocation lowers, in words.
    var measure: String {
        switch (objective, language) {
        case (.severity, .indonesian): return "keparahan kemiskinan (orang × P2)"
        case (.gap, .indonesian): return "kedalaman kemiskinan (orang × P1)"
        case (.headcount, .indonesian): return "jumlah penduduk miskin (orang × P0)"
        case (.severity, .english): return "poverty severity (persons × P2)"
        case (.gap, .english): return "the poverty gap (persons × P1)"
        case (.headcount, .english): return "poor persons (persons × P0)"
        }
    }

    /// 12,3% (id) or 12.3% (en).
    func percent(_ x: Double, decimals: Int = 1) -> String {
        decimal(100 * x, decimals: decimals) + "%"
    }

    func decimal(_ x: Double, decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", x)
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        let whole = grouped(parts[0])
        guard parts.count == 2 else { return whole }
        return whole + (language == .indonesian ? "," : ".") + parts[1]
    }

    /// Whole numbers with thousands separators: 1.234.567 (id) or 1,234,567 (en).
    func whole(_ x: Double) -> String { grouped(String(format: "%.0f", x)) }

    /// Rp 1,2 M / Rp 350 jt (id); Rp 1.2 bn / Rp 350 m (en).
    func rupiah(_ amount: Int64) -> String {
        let x = Double(amount)
        if abs(x) >= 1e9 { return "Rp " + decimal(x / 1e9, decimals: 2) + (language == .indonesian ? " M" : " bn") }
        if abs(x) >= 1e6 { return "Rp " + decimal(x / 1e6, decimals: abs(x) >= 1e8 ? 0 : 1) + (language == .indonesian ? " jt" : " m") }
        return "Rp " + whole(x)
    }

    /// Four significant digits, never written as 0,0000 for a small positive value.
    func significant(_ x: Double, digits: Int = 4) -> String {
        guard x != 0, x.isFinite else { return decimal(0, decimals: 0) }
        let magnitude = Int(floor(log10(abs(x))))
        return decimal(x, decimals: max(0, digits - 1 - magnitude))
    }

    /// Pillar names in the report's language.
    func pillar(_ name: String) -> String {
        guard language == .indonesian else { return name }
        let names = ["health": "kesehatan", "education": "pendidikan", "housing": "perumahan", "economy": "ekonomi",
                     "environment": "lingkungan", "social": "sosial"]
        return names[name] ?? name
    }

    /// A deprivation's name (Docs/model.md's list), in the report's language.
    func deprivation(_ name: String) -> String {
        guard language == .indonesian else { return name.replacingOccurrences(of: "_", with: " ") }
        let names = ["housing": "rumah tidak layak", "sanitation": "sanitasi", "water": "air minum", "energy": "energi",
                     "schooling": "anak tidak sekolah", "health": "kesehatan", "livelihood": "mata pencaharian",
                     "social_care": "perlindungan sosial"]
        return names[name] ?? name
    }

    /// "rumah tidak layak 80%; sanitasi 77%": the three deprivations most common
    /// among a village's expected poor households.
    func topDeprivations(_ shares: [Double]) -> String {
        ScoringOutputs.mostCommonDeprivations(shares).map { "\(deprivation(Deprivation.allCases[$0].rawValue)) \(percent(shares[$0], decimals: 0))" }
            .joined(separator: "; ")
    }

    /// A row name of the model table, in the report's language.
    func modelTerm(_ english: String) -> String {
        guard language == .indonesian else { return english }
        let names = [
            "method": "metode", "PMT n, p, rank": "PMT: rumah tangga survei, variabel, rank", "condition number": "bilangan kondisi",
            "survey villages": "desa dalam survei", "dropped terms": "variabel yang dikeluarkan",
            "asset index: variance explained": "indeks aset: varians yang dijelaskan", "bootstrap replicates": "replikasi bootstrap",
            "exclusion error": "kesalahan eksklusi", "inclusion error": "kesalahan inklusi", "Spearman P0": "korelasi Spearman P0",
            "rank interval coverage": "cakupan interval peringkat", "P0 interval coverage": "cakupan interval P0",
            "pmt": "PMT dengan model area kecil", "asset_index": "indeks aset", "urban": "perkotaan", "rural": "perdesaan",
        ]
        return names[english] ?? english
    }

    /// Why an OPD fits a village, in the report's language (assignment.csv keeps
    /// the English text, a stable column for scripts).
    func reasons(_ list: [OPDAssignmentProblem.Reason]) -> String {
        list.map { r in
            language == .indonesian
                ? "\(pillar(r.pillar)): \(r.households) rumah tangga miskin terdeprivasi (peringkat \(r.rank) dari \(r.villages))"
                : "\(r.pillar): \(r.households) poor household\(r.households == 1 ? "" : "s") deprived (rank \(r.rank) of \(r.villages))"
        }.joined(separator: "; ")
    }

    /// The baseline rules as a planner calls them.
    func baseline(_ rule: String) -> String {
        let names: [String: (String, String)] = [
            "proportional_to_poor": ("Sebanding jumlah penduduk miskin", "Proportional to poor persons"),
            "by_idm_status": ("Menurut status IDM", "By IDM status"),
            "equal_per_village": ("Sama rata per desa", "Equal per village"),
            "greedy": ("Serakah (Kanbur): termiskin dahulu", "Greedy (Kanbur): poorest first"),
        ]
        guard let pair = names[rule] else { return rule }
        return language == .indonesian ? pair.0 : pair.1
    }

    private func grouped(_ digits: String) -> String {
        let negative = digits.hasPrefix("-")
        let body = negative ? String(digits.dropFirst()) : digits
        let separator: Character = language == .indonesian ? "." : ","
        var out = ""
        for (k, c) in body.enumerated() {
            if k > 0 && (body.count - k) % 3 == 0 { out.append(separator) }
            out.append(c)
        }
        return (negative ? "-" : "") + out
    }
}

/// Every label of report.html, in both languages.
enum Label {
    case title, subtitle, headline, villagesRanked, householdsScored, expectedP0, poorPersons, povertyLine
    case ranking, rankingNote, rank, village, kecamatan, rankInterval, p0Interval, reasons, moreInCSV
    case quality, caution, cautionNote, noDataVillages
    case map, mapNote, mapMissing, lowP0, highP0, polygonMapNote, fundsMap, fundsMapNote, noFunds, mostFunds
    case beforeAfter, beforeAfterNote, before, after, noAllocation
    case spending, funder, budget, allocated, marginalValue, pillar, marginalNote
    case assignment, opd, fit, noAssignment
    case baselines, baselineRule, baselineGain, optimalPlan, severityFall
    case modelFit, model, accuracy, term, value
    case spent, of, p0Change, p2Change, betterThanBest
    case householdsReached, beneficiaries, beneficiariesNote, funds, programsHeader, gapNote
    case outcomeIntervalNote, fundedCertainty, fundedCertaintyNote, pFunded, coinTossNone
    case verification, verificationNote, likelyExcluded, likelyIncluded, households
    case quadrant, quadrantNote, quadrantVillages, quadrantKecamatan, quadrantI, quadrantII, quadrantIII, quadrantIV, poorAxis, p0Axis, quadrantCount, quadrantName
    case rpkd, rpkdNote, rpkdProfile, rpkdLocations, rpkdPrograms, rpkdNeed, persons

    var indonesian: String {
        switch self {
        case .title: return "Laporan penargetan kemiskinan"
        case .subtitle: return "Dibuat oleh Tepat dari data di bawah; semua angka dapat diperiksa di berkas CSV di folder yang sama."
        case .headline: return "Angka utama"
        case .villagesRanked: return "desa/kelurahan diperingkat"
        case .householdsScored: return "rumah tangga dinilai"
        case .expectedP0: return "perkiraan tingkat kemiskinan (P0)"
        case .poorPersons: return "perkiraan penduduk miskin"
        case .povertyLine: return "garis kemiskinan per kapita per bulan"
        case .ranking: return "Peringkat desa"
        case .rankingNote: return "Peringkat 1 = paling membutuhkan. Batang menunjukkan selang 90%: peringkat sebenarnya desa ini kemungkinan besar berada di dalamnya. Desa yang batangnya tumpang tindih tidak dapat dibedakan dengan yakin."
        case .rank: return "Peringkat"
        case .village: return "Desa/kelurahan"
        case .kecamatan: return "Kecamatan"
        case .rankInterval: return "Selang peringkat 90%"
        case .p0Interval: return "P0 (selang 90%)"
        case .reasons: return "Deprivasi utama"
        case .moreInCSV: return "desa lainnya ada di rankings.csv."
        case .quality: return "Kualitas"
        case .caution: return "hati-hati"
        case .cautionNote: return "Hati-hati: koefisien variasi P0 desa ini di atas 25% (batas BPS untuk perkiraan yang perlu digunakan dengan hati-hati); lihat p0_cv di rankings.csv."
        case .noDataVillages: return "desa/kelurahan di villages.csv tidak memiliki rumah tangga di households.csv: tidak ada perkiraan dan tidak diperingkat (quality = no_data di rankings.csv):"
        case .map: return "Peta desa menurut tingkat kemiskinan"
        case .mapNote: return "Setiap titik adalah satu desa di koordinat villages.csv; warna menunjukkan perkiraan P0."
        case .mapMissing: return "Peta tidak dapat digambar: villages.csv tidak ada atau tidak memuat koordinat lat/lon."
        case .polygonMapNote: return "Setiap bidang adalah satu desa (batas wilayah dari {file}); warna menunjukkan perkiraan P0, abu-abu bila tanpa data. Sepuluh desa dengan peringkat teratas diberi nama; nama kecamatan dalam huruf besar."
        case .fundsMap: return "Peta dana per desa"
        case .fundsMapNote: return "Dana rencana alokasi per desa; putih bila desa tidak menerima dana."
        case .noFunds: return "tanpa dana"
        case .mostFunds: return "dana terbesar"
        case .lowP0: return "P0 rendah"
        case .highP0: return "P0 tinggi"
        case .beforeAfter: return "Kemiskinan per kecamatan, sebelum dan sesudah alokasi"
        case .beforeAfterNote: return "Perkiraan P0 (tertimbang jumlah penduduk) sebelum dan sesudah program menjangkau rumah tangga termiskin lebih dahulu."
        case .before: return "sebelum"
        case .after: return "sesudah"
        case .noAllocation: return "Tidak ada alokasi dana pada run ini (funders.csv dan programs.csv diperlukan)."
        case .spending: return "Belanja per pemberi dana dan pilar"
        case .funder: return "Pemberi dana"
        case .budget: return "Anggaran"
        case .allocated: return "Dialokasikan"
        case .marginalValue: return "Nilai marjinal"
        case .pillar: return "Pilar"
        case .marginalNote: return "Nilai marjinal: penurunan {measure} dari tambahan Rp 1 juta pada anggaran pemberi dana itu."
        case .assignment: return "Penugasan OPD (Satu OPD Satu Desa)"
        case .opd: return "OPD"
        case .fit: return "Kecocokan"
        case .noAssignment: return "Tidak ada penugasan OPD pada run ini (opds.csv diperlukan)."
        case .baselines: return "Dibandingkan cara pembagian yang biasa dipakai"
        case .baselineRule: return "Aturan"
        case .baselineGain: return "Rencana optimal lebih baik sebesar"
        case .optimalPlan: return "Rencana optimal Tepat"
        case .severityFall: return "Penurunan {measure}"
        case .quadrant: return "Analisis kuadran TKPK"
        case .quadrantNote: return "Setiap desa (dan kecamatan) menurut persentase penduduk miskin (P0) dan jumlah penduduk miskin, dibagi pada P0 kabupaten ({p0}) dan rata-rata jumlah penduduk miskin per wilayah ({poor}). Kuadran I adalah prioritas utama; sepuluh desa berperingkat teratas diberi nama. Kolom quadrant di rankings.csv memuat kuadran setiap desa."
        case .quadrantVillages: return "Desa"
        case .quadrantKecamatan: return "Kecamatan"
        case .quadrantI: return "I: persentase tinggi, jumlah tinggi"
        case .quadrantII: return "II: persentase rendah, jumlah tinggi"
        case .quadrantIII: return "III: persentase rendah, jumlah rendah"
        case .quadrantIV: return "IV: persentase tinggi, jumlah rendah"
        case .poorAxis: return "Jumlah penduduk miskin (perkiraan)"
        case .p0Axis: return "Persentase penduduk miskin (P0)"
        case .quadrantCount: return "Jumlah desa"
        case .quadrantName: return "Kuadran"
        case .rpkd: return "Tabel RPKD"
        case .rpkdNote: return "Tabel untuk dokumen Rencana Penanggulangan Kemiskinan Daerah (Permendagri 53/2020): profil kemiskinan per kecamatan, lokasi prioritas (desa kuadran I menurut peringkat) dan program prioritas per pilar."
        case .rpkdProfile: return "Profil kemiskinan per kecamatan"
        case .rpkdLocations: return "Lokasi prioritas: {n} desa di kuadran I (20 teratas)"
        case .rpkdPrograms: return "Program prioritas per pilar"
        case .rpkdNeed: return "Rumah tangga miskin terdeprivasi (perkiraan)"
        case .persons: return "Penduduk"
        case .verification: return "Verifikasi data untuk musyawarah desa"
        case .verificationNote: return "Rumah tangga yang desil registrinya paling berbeda dari perkiraan model, untuk dikunjungi sebelum musyawarah desa/kelurahan. Daftar per desa ada di verification.csv; formulir siap cetak di verification_form.html, dan hasilnya dibaca kembali dengan tepat verify apply."
        case .likelyExcluded: return "Diduga miskin, belum masuk desil 1–4"
        case .likelyIncluded: return "Diduga mampu, terdaftar desil 1–4"
        case .households: return "Rumah tangga"
        case .modelFit: return "Model dan kecocokannya"
        case .model: return "Model"
        case .accuracy: return "Akurasi terhadap truth.csv"
        case .term: return "Ukuran"
        case .value: return "Nilai"
        case .spent: return "dana dialokasikan"
        case .of: return "dari"
        case .p0Change: return "P0 sebelum → sesudah"
        case .p2Change: return "P2 sebelum → sesudah"
        case .betterThanBest: return "lebih besar penurunan {P} dibanding aturan terbaik yang biasa dipakai"
        case .householdsReached: return "rumah tangga menerima program"
        case .beneficiaries: return "Penerima per desa dan program"
        case .beneficiariesNote: return "Banyaknya rumah tangga penerima tiap program di desa yang menerima dana terbanyak; daftar nama rumah tangga (tanpa NIK) dengan urutan prioritas ada di beneficiaries.csv."
        case .funds: return "Dana"
        case .programsHeader: return "Rumah tangga"
        case .gapNote: return "Tidak ada rencana yang dapat menurunkan {measure} lebih dari {bound} (batas atas terbukti); rencana ini berjarak {gap} darinya."
        case .outcomeIntervalNote: return "Model kesejahteraan ini hasil estimasi dari survei; pada {n} replikasi parameternya, rencana yang sama menurunkan {measure} rata-rata {mean}, dan antara {low} dan {high} pada 90% replikasi."
        case .fundedCertainty: return "Desa yang pasti didanai dan yang untung-untungan"
        case .fundedCertaintyNote: return "Rencana disusun ulang pada {n} replikasi model (aturan serakah, yang pada nilai estimasi mendanai desa yang sama dengan rencana ini pada {agreement} desa). {sure} desa didanai pada sedikitnya 90% replikasi, {never} desa pada paling banyak 10%, dan {toss} desa pada 30–70%: desa-desa di bawah ini, yang patut dilihat dua kali."
        case .pFunded: return "Didanai pada replikasi"
        case .coinTossNone: return "Tidak ada desa yang didanai pada 30–70% replikasi."
        }
    }

    var english: String {
        switch self {
        case .title: return "Poverty targeting report"
        case .subtitle: return "Made by Tepat from the data below; every figure can be checked in the CSV files of the same folder."
        case .headline: return "Headline figures"
        case .villagesRanked: return "villages ranked"
        case .householdsScored: return "households scored"
        case .expectedP0: return "expected poverty rate (P0)"
        case .poorPersons: return "expected poor persons"
        case .povertyLine: return "poverty line per capita per month"
        case .ranking: return "Village ranking"
        case .rankingNote: return "Rank 1 = most in need. Bars show the 90% interval: the village's true rank very likely lies inside. Villages whose bars overlap cannot be told apart with confidence."
        case .rank: return "Rank"
        case .village: return "Village"
        case .kecamatan: return "Kecamatan"
        case .rankInterval: return "90% rank interval"
        case .p0Interval: return "P0 (90% interval)"
        case .reasons: return "Main deprivations"
        case .moreInCSV: return "more villages are in rankings.csv."
        case .quality: return "Quality"
        case .caution: return "caution"
        case .cautionNote: return "Caution: the village's coefficient of variation of P0 is above 25% (BPS's limit for estimates to use with caution); see p0_cv in rankings.csv."
        case .noDataVillages: return "villages of villages.csv have no household in households.csv: no estimate and no rank (quality = no_data in rankings.csv):"
        case .map: return "Villages by poverty rate"
        case .mapNote: return "Each point is a village at the coordinates of villages.csv; colour shows expected P0."
        case .mapMissing: return "No map: villages.csv is missing or has no lat/lon coordinates."
        case .polygonMapNote: return "Each shape is a village (boundaries from {file}); colour shows expected P0, grey where there is no data. The ten top-ranked villages are named; kecamatan names in capitals."
        case .fundsMap: return "Funds per village"
        case .fundsMapNote: return "The plan's funds per village; white where a village receives none."
        case .noFunds: return "no funds"
        case .mostFunds: return "most funds"
        case .lowP0: return "low P0"
        case .highP0: return "high P0"
        case .beforeAfter: return "Poverty by kecamatan, before and after the allocation"
        case .beforeAfterNote: return "Expected P0 (person-weighted) before and after programs reach the poorest households first."
        case .before: return "before"
        case .after: return "after"
        case .noAllocation: return "No fund allocation in this run (needs funders.csv and programs.csv)."
        case .spending: return "Spending by funder and pillar"
        case .funder: return "Funder"
        case .budget: return "Budget"
        case .allocated: return "Allocated"
        case .marginalValue: return "Marginal value"
        case .pillar: return "Pillar"
        case .marginalNote: return "Marginal value: fall in {measure} from Rp 1 million more in that funder's budget."
        case .assignment: return "OPD assignment (Satu OPD Satu Desa)"
        case .opd: return "OPD"
        case .fit: return "Fit"
        case .noAssignment: return "No OPD assignment in this run (needs opds.csv)."
        case .baselines: return "Against the rules planners use today"
        case .baselineRule: return "Rule"
        case .baselineGain: return "Optimal plan does better by"
        case .optimalPlan: return "Tepat's optimal plan"
        case .severityFall: return "Fall in {measure}"
        case .quadrant: return "TKPK quadrant analysis"
        case .quadrantNote: return "Each village (and kecamatan) by its poverty rate (P0) and its number of poor persons, split at the kabupaten's P0 ({p0}) and the mean number of poor persons per area ({poor}). Quadrant I is the first priority; the ten top-ranked villages are named. rankings.csv's quadrant column holds each village's quadrant."
        case .quadrantVillages: return "Villages"
        case .quadrantKecamatan: return "Kecamatan"
        case .quadrantI: return "I: high rate, many poor"
        case .quadrantII: return "II: low rate, many poor"
        case .quadrantIII: return "III: low rate, few poor"
        case .quadrantIV: return "IV: high rate, few poor"
        case .poorAxis: return "Poor persons (expected)"
        case .p0Axis: return "Poverty rate (P0)"
        case .quadrantCount: return "Villages"
        case .quadrantName: return "Quadrant"
        case .rpkd: return "RPKD tables"
        case .rpkdNote: return "Tables for the regional poverty reduction plan (RPKD, Permendagri 53/2020): the poverty profile per kecamatan, the priority locations (quadrant I villages by rank) and the priority programs per pillar."
        case .rpkdProfile: return "Poverty profile per kecamatan"
        case .rpkdLocations: return "Priority locations: {n} villages in quadrant I (top 20)"
        case .rpkdPrograms: return "Priority programs per pillar"
        case .rpkdNeed: return "Poor households deprived (expected)"
        case .persons: return "Persons"
        case .verification: return "Registry verification for the village meeting"
        case .verificationNote: return "Households whose registry desil differs most from the model's prediction, to visit before the village meeting. The list per village is in verification.csv; the printable form in verification_form.html, and tepat verify apply reads the results back."
        case .likelyExcluded: return "Likely poor, not in desil 1–4"
        case .likelyIncluded: return "Likely better off, registered in desil 1–4"
        case .households: return "Households"
        case .modelFit: return "Model and fit"
        case .model: return "Model"
        case .accuracy: return "Accuracy against truth.csv"
        case .term: return "Measure"
        case .value: return "Value"
        case .spent: return "allocated"
        case .of: return "of"
        case .p0Change: return "P0 before → after"
        case .p2Change: return "P2 before → after"
        case .betterThanBest: return "larger fall in {P} than the best rule used today"
        case .householdsReached: return "households receive programs"
        case .beneficiaries: return "Beneficiaries per village and program"
        case .beneficiariesNote: return "Households reached by each program in the villages receiving most; the households (no NIK), in order of priority, are in beneficiaries.csv."
        case .funds: return "Funds"
        case .programsHeader: return "Households"
        case .gapNote: return "No plan can lower {measure} by more than {bound} (a proven bound); this plan is within {gap} of it."
        case .outcomeIntervalNote: return "The welfare model is estimated from a survey; under {n} replicates of its parameters the same plan lowers {measure} by {mean} on average, and by {low} to {high} in 90% of them."
        case .fundedCertainty: return "Villages funded for sure, and coin tosses"
        case .fundedCertaintyNote: return "The plan was made anew under {n} replicates of the model (by the greedy rule, which at the estimates funds the same villages as this plan in {agreement} of them). {sure} villages are funded in at least 90% of replicates, {never} in at most 10%, and {toss} in 30–70%: those below, worth a second look."
        case .pFunded: return "Funded in replicates"
        case .coinTossNone: return "No village is funded in 30–70% of replicates."
        }
    }
}
