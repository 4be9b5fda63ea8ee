import Foundation
import TepatData
import TepatScoring

/// verification_form.html: one printable page per village (A4 landscape), the
/// households to visit with their evidence, a box per decision, room for a
/// note, and the signatures the meeting's minutes need.
public enum VerificationForm {
    public static func html(_ list: VerificationList, ids: TextColumn, villages: VillageList, extras: FormExtras) -> String {
        var out = """
        <!DOCTYPE html>
        <html lang="id"><head><meta charset="utf-8"><title>Formulir verifikasi DTSEN</title>
        <style>
        @page { size: A4 landscape; margin: 12mm; }
        body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #111; }
        section { page-break-after: always; padding-bottom: 8mm; margin-bottom: 8mm; border-bottom: 1px dashed #999; }
        section:last-child { page-break-after: auto; }
        @media print { section { border: none; margin: 0; padding: 0; } }
        h1 { font-size: 14pt; margin: 0 0 2mm; }
        .meta { margin: 0 0 3mm; color: #333; }
        table { border-collapse: collapse; width: 100%; }
        th, td { border: 1px solid #555; padding: 1.5mm; vertical-align: top; }
        th { background: #eee; font-size: 8.5pt; }
        td.box { width: 9mm; }
        td.id { white-space: nowrap; }
        td.note { width: 40mm; }
        .sign { display: flex; justify-content: space-between; margin-top: 10mm; }
        .sign div { width: 30%; text-align: center; }
        .sign .line { margin: 16mm auto 0; width: 70%; border-top: 1px solid #111; }
        .how { font-size: 8.5pt; color: #333; margin-top: 3mm; }
        </style></head><body>

        """
        let byVillage = Dictionary(grouping: list.cases, by: \.village)
        for v in byVillage.keys.sorted() {
            out += village(v, byVillage[v]!, ids: ids, villages: villages, extras: extras)
        }
        if list.cases.isEmpty {
            out += "<p>Tidak ada rumah tangga yang perlu diverifikasi: data registri dan model sejalan.</p>\n"
        }
        return out + "</body></html>\n"
    }

    private static func village(_ v: Int, _ cases: [VerificationCase], ids: TextColumn, villages: VillageList, extras: FormExtras) -> String {
        let headings = ["No", "ID rumah tangga"] + extras.columns + ["Alasan", "Desil registri", "Desil model", "Bukti"]
            + ["Layak", "Tidak layak", "Pindah", "Meninggal", "Tidak ditemukan", "Catatan"]
        var out = "<section>\n<h1>Formulir verifikasi musyawarah desa/kelurahan: \(escape(villages.names[v]))</h1>\n"
        out += "<p class=\"meta\">Kode desa \(villages.codes[v]) · Kecamatan \(escape(villages.kecamatanNames[v])) · "
        out += "\(escape(villages.kabupatenNames[v])) · \(cases.count) rumah tangga · Tanggal musyawarah: ____________</p>\n"
        out += "<table>\n<tr>" + headings.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
        for c in cases {
            let id = ids[c.household]
            out += "<tr><td>\(c.priority)</td><td class=\"id\">\(escape(id))</td>"
            out += extras.values(of: id).map { "<td>\(escape($0))</td>" }.joined()
            out += "<td>\(escape(VerificationFiles.reasonText(c.reason)))</td><td>\(c.registryDesil)</td><td>\(c.modelDesil)</td>"
            out += "<td>\(escape(c.evidence))</td>"
            out += String(repeating: "<td class=\"box\"></td>", count: VerificationFiles.decisions.count) + "<td class=\"note\"></td></tr>\n"
        }
        out += "</table>\n"
        out += "<p class=\"how\">Beri tanda pada satu kolom keputusan per rumah tangga. Bukti: indikator yang paling membedakan "
        out += "perkiraan model dari desil registri. Hasil dimasukkan ke verification_form.csv dan dibaca kembali dengan "
        out += "<code>tepat verify apply</code>.</p>\n"
        out += "<div class=\"sign\"><div>Kepala Desa/Lurah<div class=\"line\"></div></div>"
        out += "<div>Pendamping OPD<div class=\"line\"></div></div><div>Notulis<div class=\"line\"></div></div></div>\n</section>\n"
        return out
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
