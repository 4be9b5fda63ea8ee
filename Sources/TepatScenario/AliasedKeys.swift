import CYaml

/// Yams checks a mapping's keys for duplicates by hashing each key whole, and
/// a key that is an alias of nested aliases (a "billion laughs" in a key's
/// place) is hashed through every copy: ten seconds for a file of 400 bytes.
/// Before composing, libyaml's events are walked once with each anchor's
/// expanded size, and a key larger than `maximumNodes` is refused. Scenario
/// keys are names, so no scenario that could be read is refused here.
enum AliasedKeys {
    static let maximumNodes = 1_000

    /// Where the first key over the limit starts (1-based line and column);
    /// nil when every key is within it, or the YAML is broken (which the
    /// composer then reports).
    static func oversizedKey(in text: String) -> (line: Int, column: Int)? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var walk = Walk()
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                if let place = walk.take(event) { return place }
                if event.type == YAML_STREAM_END_EVENT { return nil }
            }
        }
    }

    /// The collections open at an event, and every anchor's expanded size.
    private struct Walk {
        struct Collection {
            let isMapping: Bool
            let anchor: String?
            let line: Int, column: Int
            var size = 1
            var children = 0
        }
        var open: [Collection] = []
        var sizes: [String: Int] = [:]

        mutating func take(_ event: yaml_event_t) -> (line: Int, column: Int)? {
            let line = Int(event.start_mark.line) + 1, column = Int(event.start_mark.column) + 1
            switch event.type {
            case YAML_SCALAR_EVENT:
                return node(size: 1, anchor: name(event.data.scalar.anchor), line: line, column: column)
            case YAML_ALIAS_EVENT:
                return node(size: name(event.data.alias.anchor).flatMap { sizes[$0] } ?? 1, anchor: nil, line: line, column: column)
            case YAML_SEQUENCE_START_EVENT:
                open.append(Collection(isMapping: false, anchor: name(event.data.sequence_start.anchor), line: line, column: column))
            case YAML_MAPPING_START_EVENT:
                open.append(Collection(isMapping: true, anchor: name(event.data.mapping_start.anchor), line: line, column: column))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let done = open.popLast() else { return nil }
                return node(size: done.size, anchor: done.anchor, line: done.line, column: done.column)
            default:
                break
            }
            return nil
        }

        /// A complete node: its anchor remembers its size, and it counts in
        /// the collection around it; as a mapping's key it must be small.
        private mutating func node(size: Int, anchor: String?, line: Int, column: Int) -> (line: Int, column: Int)? {
            if let anchor { sizes[anchor] = size }
            guard !open.isEmpty else { return nil }
            let isKey = open[open.count - 1].isMapping && open[open.count - 1].children % 2 == 0
            if isKey && size > AliasedKeys.maximumNodes { return (line, column) }
            // Saturating: sizes only need to tell small from too large.
            open[open.count - 1].size = min(open[open.count - 1].size + size, 1 << 40)
            open[open.count - 1].children += 1
            return nil
        }

        private func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            anchor.map { String(cString: $0) }
        }
    }
}
