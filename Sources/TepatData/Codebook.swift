import Foundation
import Yams

/// Maps a raw export layout (Indonesian column names, numeric codes) onto the
/// columns and categories of Docs/data.md. See `Codebooks/pbdt2015.yaml` and the README
/// section "Codebooks" for the format.
public struct Codebook: Sendable, Equatable {
    public var name: String
    /// Target column → the source column(s) it is read from. Several sources are
    /// summed (PBDT counts cattle, buffalo and horses separately).
    public var sources: [String: [String]]
    /// Target column → source code → target level name (or 0/1 for yes/no).
    public var codes: [String: [String: String]]
    /// Codes meaning yes and no in yes/no columns read through the codebook.
    public var yes: [String]
    public var no: [String]

    public init(name: String, sources: [String: [String]], codes: [String: [String: String]], yes: [String] = ["1"], no: [String] = ["0"]) {
        self.name = name
        self.sources = sources
        self.codes = codes
        self.yes = yes
        self.no = no
    }

    /// The codebook shipped for the PBDT 2015 layout.
    public static func pbdt2015() throws -> Codebook {
        guard let url = Bundle.module.url(forResource: "pbdt2015", withExtension: "yaml", subdirectory: "Codebooks") else {
            throw DataErrors(DataProblem(file: "pbdt2015.yaml", message: "the shipped codebook is missing from the build"))
        }
        return try load(path: url.path, displayName: "pbdt2015.yaml (shipped)")
    }

    public static func load(path: String, displayName: String? = nil) throws -> Codebook {
        let name = displayName ?? path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw DataErrors(DataProblem(file: name, message: "cannot read the codebook (missing, or not UTF-8)"))
        }
        return try parse(text, displayName: name)
    }

    public static func parse(_ text: String, displayName: String) throws -> Codebook {
        func problem(_ message: String, line: Int = 0) -> DataErrors {
            DataErrors(DataProblem(file: displayName, line: line, message: message))
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw problem("the codebook is empty") }
            root = node
        } catch let error as DataErrors {
            throw error
        } catch {
            throw problem("not valid YAML: \(error)")
        }
        guard let top = root.mapping else { throw problem("expected a mapping with keys name, yes_no, columns") }
        var codebook = Codebook(name: displayName, sources: [:], codes: [:])
        let known = Set(["name", "yes_no", "columns"])
        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            let line = keyNode.mark.map { $0.line } ?? 0
            guard known.contains(key) else { throw problem("unknown key '\(key)'; expected one of: name, yes_no, columns", line: line) }
            switch key {
            case "name":
                codebook.name = value.string ?? displayName
            case "yes_no":
                guard let m = value.mapping else { throw problem("yes_no must be a mapping {yes: [..], no: [..]}", line: line) }
                codebook.yes = m["yes"]?.sequence?.compactMap(\.string) ?? m["yes"].flatMap(\.string).map { [$0] } ?? ["1"]
                codebook.no = m["no"]?.sequence?.compactMap(\.string) ?? m["no"].flatMap(\.string).map { [$0] } ?? ["0"]
            default:
                guard let columns = value.mapping else { throw problem("columns must be a mapping from target column to source", line: line) }
                let targets = Set(Schemas.survey.columns.map(\.name) + Schemas.villages.columns.map(\.name))
                for (targetNode, source) in columns {
                    let target = targetNode.string ?? ""
                    let tline = targetNode.mark.map { $0.line } ?? 0
                    guard targets.contains(target) else {
                        throw problem("'\(target)' is not a Tepat input column (Docs/data.md)", line: tline)
                    }
                    if let s = source.string {
                        codebook.sources[target] = [s]
                    } else if let list = source.sequence {
                        codebook.sources[target] = list.compactMap(\.string)
                    } else if let m = source.mapping {
                        if let from = m["from"] {
                            codebook.sources[target] = from.string.map { [$0] } ?? from.sequence?.compactMap(\.string) ?? []
                        }
                        if let codeMap = m["codes"]?.mapping {
                            var map: [String: String] = [:]
                            for (c, v) in codeMap { map[c.string ?? ""] = v.string ?? "" }
                            codebook.codes[target] = map
                        }
                    } else {
                        throw problem("'\(target)': expected a source column name, a list, or {from:, codes:}", line: tline)
                    }
                }
            }
        }
        return codebook
    }
}
