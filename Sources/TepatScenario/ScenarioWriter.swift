import TepatReporting
import TepatScoring

/// Writes a scenario as YAML that `ScenarioParser` reads back to the same value.
/// With comments it is the template of `tepat scenario init`; without, the
/// effective scenario kept in each run directory as `scenario.yaml`.
public enum ScenarioWriter {
    public static func yaml(_ s: Scenario, commented: Bool) -> String {
        var out = ""
        func line(_ indent: Int, _ text: String, _ comment: String = "") {
            let body = String(repeating: "  ", count: indent) + text
            out += commented && !comment.isEmpty ? pad(body) + "# " + comment + "\n" : body + "\n"
        }
        func note(_ indent: Int, _ text: String) {
            if commented { out += String(repeating: "  ", count: indent) + "# " + text + "\n" }
        }
        if commented {
            out += """
                # Tepat scenario. Every key is optional: a missing key keeps the default shown
                # here. Paths are relative to this file's folder. Command-line flags of
                # `tepat run` override the values in this file.

                """
        }
        line(0, "seed: \(s.seed)", "seed of the bootstrap replicates; same inputs + seed = same files")
        line(0, "data:")
        if s.data.paths.isEmpty {
            line(1, "files: {}", "inputs not under their standard name in DATA_DIR, e.g.")
            note(2, "survey: ../susenas/survey_2025.csv")
        } else {
            line(1, "files:", "inputs not under their standard name in DATA_DIR")
            for name in ScenarioKeys.files {
                if let path = s.data.paths[name + ".csv"] { line(2, "\(name): \(quoted(path))") }
            }
        }
        line(1, "codebook: \(s.data.codebook.map(quoted) ?? "none")", "none, pbdt2015, or a codebook YAML for raw exports")
        line(1, "on_error: \(s.data.onError.rawValue)", "fail: any bad row stops the run; skip: leave it out, list it in rejected.csv")

        line(0, "scoring:")
        line(1, "method: \(s.scoring.method.rawValue)", "auto (PMT with survey.csv, else asset index), pmt, asset_index")
        line(1, "poverty_line: \(number(s.scoring.povertyLine))", "rupiah per capita per month")
        line(1, "bootstrap: \(s.scoring.bootstrap)", "replicates for the 90% rank and P0 intervals (0: none)")
        line(1, "ridge: \(s.scoring.ridge)", "shrink coefficients, penalty by 5-fold cross-validation")
        line(1, "strata: \(s.scoring.strata.rawValue)", "none, or urban_rural: separate models for kelurahan and desa")
        line(1, "kecamatan_effects: \(s.scoring.kecamatanEffects)", "kecamatan fixed effects in the PMT")
        line(1, "strict_categories: \(s.scoring.strictCategories)", "stop on a category the survey never has")
        line(1, "mpi_cutoff: \(number(s.scoring.mpiCutoff))", "Alkire-Foster k: poor when the weighted deprivations reach k")
        let indicators = MultidimensionalPoverty.indonesiaDefault.indicators
        if s.scoring.mpiWeights.isEmpty {
            line(1, "mpi_weights: {}", "indicator weights that differ from the default; 0 drops one. Defaults:")
            for i in indicators { note(2, "\(i.name): \(number(i.weight))") }
        } else {
            line(1, "mpi_weights:", "indicator weights that differ from the default; 0 drops one")
            for i in indicators { if let w = s.scoring.mpiWeights[i.name] { line(2, "\(i.name): \(number(w))") } }
        }

        line(0, "ranking:")
        line(1, "rank_by: \(s.ranking.rankBy.rawValue)", "score (composite), p0, or poor (expected poor persons)")
        line(1, "weights:", "of the composite score; each measure is standardised first")
        let w = s.ranking.weights
        line(2, "p0: \(number(w.p0))", "expected headcount")
        line(2, "p2: \(number(w.p2))", "expected severity")
        line(2, "poor_persons: \(number(w.poorPersons))", "expected number of poor persons")
        line(2, "mpi_m0: \(number(w.mpiM0))", "multidimensional poverty M0")
        line(2, "share_desil_1_4: \(number(w.shareDesil1to4))", "share of households in desil 1-4")

        line(0, "assignment:", "Satu OPD Satu Desa (needs opds.csv)")
        line(1, "enabled: \(s.assignment.enabled)")
        line(1, "opds: \(list(s.assignment.opds))", "all, or a list of opd_id, e.g. [DINSOS, DINKES]")
        line(1, "opds_per_village: \(s.assignment.opdsPerVillage)", "how many OPDs may accompany one village")

        line(0, "allocation:", "funds to the provable optimum (needs funders.csv and programs.csv)")
        line(1, "enabled: \(s.allocation.enabled)")
        line(1, "objective: \(s.allocation.objective.rawValue)", "maximise the fall in expected p2 (severity), p1 (gap) or p0 (poor persons)")
        line(1, "funders: \(list(s.allocation.funders))", "all, or a list of funder_id")
        mapping(1, "floors", s.allocation.floors.sorted { $0.key < $1.key }.map { ($0.key, String($0.value)) },
                comment: "minimum rupiah for every village of an IDM status, e.g.", example: "sangat_tertinggal: 50000000")
        line(1, "village_cap: \(s.allocation.villageCap.map { String($0) } ?? "none")", "maximum rupiah for any one village")
        mapping(1, "funder_areas", s.allocation.funderAreas.sorted { $0.key < $1.key }.map { ($0.key, "[" + $0.value.map(quoted).joined(separator: ", ") + "]") },
                comment: "kecamatan a funder may fund, replacing funders.csv, e.g.", example: "LAZISMU: [\"35.14.05\"]")
        mapping(1, "funder_budgets", s.allocation.funderBudgets.sorted { $0.key < $1.key }.map { ($0.key, String($0.value)) },
                comment: "budgets replacing funders.csv, e.g.", example: "BAZNAS: 2000000000")

        line(0, "outputs:")
        line(1, "households_scored: \(s.outputs.householdsScored)", "write households_scored.csv")
        line(1, "csv_dialect: \(s.outputs.csvDialect.rawValue)", "standard, or excel-id: also ;-separated comma-decimal copies")
        line(1, "lang: \(s.outputs.language.rawValue)", "report.html in Indonesian (id) or English (en)")
        line(1, "export_mps: \(s.outputs.exportMPS.map(quoted) ?? "none")", "write the allocation LP (free MPS) to this path")
        return out

        func mapping(_ indent: Int, _ key: String, _ entries: [(String, String)], comment: String, example: String) {
            if entries.isEmpty {
                line(indent, "\(key): {}", comment)
                note(indent + 1, example)
            } else {
                line(indent, "\(key):")
                for (k, v) in entries { line(indent + 1, "\(quoted(k)): \(v)") }
            }
        }
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
