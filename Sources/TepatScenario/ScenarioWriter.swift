import Foundation
import TepatData
import TepatScoring

/// Writes a scenario as YAML that `ScenarioParser` reads back to the same value.
/// With comments it is the template of `tepat scenario init`; without, the
/// effective scenario kept in each run directory as `scenario.yaml`.
public enum ScenarioWriter {
    public static func yaml(_ s: Scenario, commented: Bool) -> String { lines(s, commented: commented).out }

    static func lines(_ s: Scenario, commented: Bool) -> YAMLLines {
        var y = YAMLLines(commented: commented)
        if commented {
            y.out += """
                # Tepat scenario. Every key is optional: a missing key keeps the default shown
                # here. Paths are relative to this file's folder. Command-line flags of
                # `tepat run` override the values in this file.

                """
        }
        y.line(0, "seed: \(s.seed)", "seed of the bootstrap replicates; same inputs + seed = same files")
        data(s, &y)
        scoring(s, &y)
        ranking(s, &y)
        assignment(s, &y)
        allocation(s, &y)
        verification(s, &y)
        outputs(s, &y)
        return y
    }

    /// Lines of YAML, each with its comment in the template.
    struct YAMLLines {
        let commented: Bool
        var out = ""
        /// Each line's depth, text and comment, for `fields`.
        var lines: [(depth: Int, text: String, comment: String)] = []

        mutating func line(_ indent: Int, _ text: String, _ comment: String = "") {
            lines.append((indent, text, comment))
            let body = String(repeating: "  ", count: indent) + text
            out += commented && !comment.isEmpty ? ScenarioWriter.pad(body) + "# " + comment + "\n" : body + "\n"
        }

        mutating func note(_ indent: Int, _ text: String) {
            if commented { out += String(repeating: "  ", count: indent) + "# " + text + "\n" }
        }

        /// A mapping of settings; an empty one shows an example in the template.
        mutating func mapping(_ indent: Int, _ key: String, _ entries: [(String, String)], comment: String, example: String) {
            if entries.isEmpty {
                line(indent, "\(key): {}", comment)
                note(indent + 1, example)
            } else {
                line(indent, "\(key):")
                for (k, v) in entries { line(indent + 1, "\(ScenarioWriter.quoted(k)): \(v)") }
            }
        }
    }

    static func data(_ s: Scenario, _ y: inout YAMLLines) {
        y.line(0, "data:")
        if s.data.paths.isEmpty {
            y.line(1, "files: {}", "inputs not under their standard name in DATA_DIR, e.g.")
            y.note(2, "survey: ../susenas/survey_2025.csv")
        } else {
            y.line(1, "files:", "inputs not under their standard name in DATA_DIR")
            for name in ScenarioKeys.files {
                if let path = s.data.paths[name + ".csv"] { y.line(2, "\(name): \(quoted(path))") }
            }
        }
        y.line(1, "codebook: \(s.data.codebook.map(quoted) ?? "none")", "none, pbdt2015, or a codebook YAML for raw exports")
        y.line(1, "boundaries: \(s.data.boundaries.map(quoted) ?? "none")", "village polygons (GeoJSON with kode_desa) for the report's maps and rankings.geojson")
        y.line(1, "on_error: \(s.data.onError.rawValue)", "fail: any bad row stops the run; skip: leave it out, list it in rejected.csv")
    }

    static func scoring(_ s: Scenario, _ y: inout YAMLLines) {
        y.line(0, "scoring:")
        y.line(1, "method: \(s.scoring.method.rawValue)", "auto (PMT with survey.csv, else asset index), pmt, asset_index")
        y.line(1, "poverty_line: \(number(s.scoring.povertyLine))", "rupiah per capita per month")
        y.line(1, "bootstrap: \(s.scoring.bootstrap)", "replicates for the 90% rank and P0 intervals (0: none)")
        y.line(1, "ridge: \(s.scoring.ridge)", "shrink coefficients, penalty by 5-fold cross-validation")
        y.line(1, "strata: \(s.scoring.strata.rawValue)", "none, or urban_rural: separate models for kelurahan and desa")
        y.line(1, "kecamatan_effects: \(s.scoring.kecamatanEffects)", "kecamatan fixed effects in the PMT")
        y.line(1, "strict_categories: \(s.scoring.strictCategories)", "stop on a category the survey never has")
        y.line(1, "mpi_cutoff: \(number(s.scoring.mpiCutoff))", "Alkire-Foster k: poor when the weighted deprivations reach k")
        y.line(1, "benchmark_p0: \(s.scoring.benchmarkP0.map(number) ?? "none")",
               "official P0 the villages are scaled to (BPS, e.g. 0.0946 or 9.46%); none: the model's level")
        let indicators = MultidimensionalPoverty.indonesiaDefault.indicators
        if s.scoring.mpiWeights.isEmpty {
            y.line(1, "mpi_weights: {}", "indicator weights that differ from the default; 0 drops one. Defaults:")
            for i in indicators { y.note(2, "\(i.name): \(number(i.weight))") }
        } else {
            y.line(1, "mpi_weights:", "indicator weights that differ from the default; 0 drops one")
            for i in indicators { if let w = s.scoring.mpiWeights[i.name] { y.line(2, "\(i.name): \(number(w))") } }
        }
    }

    static func ranking(_ s: Scenario, _ y: inout YAMLLines) {
        y.line(0, "ranking:")
        y.line(1, "rank_by: \(s.ranking.rankBy.rawValue)", "score (composite), p0, or poor (expected poor persons)")
        y.line(1, "weights:", "of the composite score; each measure is standardised first")
        let w = s.ranking.weights
        y.line(2, "p0: \(number(w.p0))", "expected headcount")
        y.line(2, "p2: \(number(w.p2))", "expected severity")
        y.line(2, "poor_persons: \(number(w.poorPersons))", "expected number of poor persons")
        y.line(2, "mpi_m0: \(number(w.mpiM0))", "multidimensional poverty M0")
        y.line(2, "share_desil_1_4: \(number(w.shareDesil1to4))", "share of households in desil 1-4")
    }

    static func assignment(_ s: Scenario, _ y: inout YAMLLines) {
        y.line(0, "assignment:", "Satu OPD Satu Desa (needs opds.csv)")
        y.line(1, "enabled: \(s.assignment.enabled)")
        y.line(1, "opds: \(list(s.assignment.opds))", "all, or a list of opd_id, e.g. [DINSOS, DINKES]")
        y.line(1, "opds_per_village: \(s.assignment.opdsPerVillage)", "how many OPDs may accompany one village")
    }

    static func allocation(_ s: Scenario, _ y: inout YAMLLines) {
        y.line(0, "allocation:", "funds to the provable optimum (needs funders.csv and programs.csv)")
        y.line(1, "enabled: \(s.allocation.enabled)")
        y.line(1, "objective: \(s.allocation.objective.rawValue)", "maximise the fall in expected p2 (severity), p1 (gap) or p0 (poor persons)")
        y.line(1, "funders: \(list(s.allocation.funders))", "all, or a list of funder_id")
        y.mapping(1, "floors", s.allocation.floors.sorted { $0.key < $1.key }.map { ($0.key, String($0.value)) },
                comment: "minimum rupiah for every village of an IDM status, e.g.", example: "sangat_tertinggal: 50000000")
        y.line(1, "village_cap: \(s.allocation.villageCap.map { String($0) } ?? "none")", "maximum rupiah for any one village")
        y.mapping(1, "funder_areas", s.allocation.funderAreas.sorted { $0.key < $1.key }.map { ($0.key, "[" + $0.value.map(quoted).joined(separator: ", ") + "]") },
                comment: "kecamatan a funder may fund, replacing funders.csv, e.g.", example: "LAZISMU: [\"35.14.05\"]")
        y.mapping(1, "funder_budgets", s.allocation.funderBudgets.sorted { $0.key < $1.key }.map { ($0.key, String($0.value)) },
                comment: "budgets replacing funders.csv, e.g.", example: "BAZNAS: 2000000000")
    }

    static func verification(_ s: Scenario, _ y: inout YAMLLines) {
        y.line(0, "verification:", "households for the village meeting to verify (needs desil in households.csv)")
        y.line(1, "min_probability: \(number(s.verification.minimumProbability))", "list a household when its registry desil is this likely on the wrong side of 4")
        y.line(1, "min_p_poor: \(number(s.verification.minimumPPoor))", "and, for a likely excluded household, its probability of being below the poverty line")
        y.line(1, "max_per_village: \(s.verification.maximumPerVillage)", "at most this many households per village")
    }

    static func outputs(_ s: Scenario, _ y: inout YAMLLines) {
        y.line(0, "outputs:")
        y.line(1, "households_scored: \(s.outputs.householdsScored)", "write households_scored.csv")
        y.line(1, "workbook: \(s.outputs.workbook)", "write results.xlsx (every CSV of the run as a sheet)")
        y.line(1, "csv_dialect: \(s.outputs.csvDialect.rawValue)", "standard, or excel-id: also ;-separated comma-decimal copies")
        y.line(1, "lang: \(s.outputs.language.rawValue)", "report.html in Indonesian (id) or English (en)")
        y.line(1, "export_mps: \(s.outputs.exportMPS.map(quoted) ?? "none")", "write the allocation LP (free MPS) to this path")
    }

    static func pad(_ text: String) -> String {
        text.count >= 30 ? text + "  " : text + String(repeating: " ", count: 32 - text.count)
    }

    static func list(_ ids: [String]?) -> String {
        guard let ids else { return "all" }
        return "[" + ids.map(quoted).joined(separator: ", ") + "]"
    }

    /// A number as short as it reads back exactly.
    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
    }

    /// Double-quoted text (ids and paths may look like numbers or booleans); JSON's
    /// escapes are valid in YAML's double-quoted style.
    static func quoted(_ text: String) -> String { JSON.quote(text) }
}

extension ScenarioWriter {
    /// Every setting as (dotted key, value), in the template's order: the
    /// uncommented YAML read back line by line. A section line (`data:`)
    /// opens a path; an empty section (`files: {}`) is a setting of its own.
    public static func settings(_ s: Scenario) -> [(String, String)] { fields(s).map { ($0.key, $0.value) } }

    /// A setting of the template: its dotted key, its value as YAML, and the
    /// template's one line of help (empty for an entry of a mapping).
    public struct Field: Sendable, Equatable {
        public var key: String
        public var value: String
        public var help: String
    }

    /// Every setting as a field, in the template's order. A section line
    /// (`data:`) opens a path; an empty section (`files: {}`) is a field of its own.
    public static func fields(_ s: Scenario) -> [Field] {
        var path: [String] = []
        var fields: [Field] = []
        for line in lines(s, commented: false).lines {
            let text = line.text
            guard let colon = text.firstIndex(of: ":") else { continue }
            let key = String(text[..<colon]).trimmingCharacters(in: ["\""])
            let value = text[text.index(after: colon)...].drop { $0 == " " }
            path = Array(path.prefix(line.depth)) + [key]
            if !value.isEmpty { fields.append(Field(key: path.joined(separator: "."), value: String(value), help: line.comment)) }
        }
        return fields
    }
}
