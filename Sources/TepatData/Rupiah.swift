/// Rupiah amounts as people read them in messages: whole rupiah with thousands
/// separators (`50,000,000`). CSV files keep plain digits (Docs/outputs.md).
public enum Rupiah {
    public static func format(_ amount: Int64) -> String {
        let digits = String(amount.magnitude)
        var out = ""
        for (k, c) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (amount < 0 ? "-" : "") + out
    }
}
