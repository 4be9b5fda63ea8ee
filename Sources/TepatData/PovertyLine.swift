/// The poverty line Tepat assumes when a scenario names none: rupiah per
/// capita per month, near BPS's rural Jawa Timur line. The generator draws its
/// synthetic households around it, and scoring uses it by default.
public enum PovertyLine {
    public static let standard = 550_000.0
}
