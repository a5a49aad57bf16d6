import Foundation

/// Values out of golden JSON read with JSONSerialization.
public enum GoldenJSON {
    /// A nested golden table ([layer][head], [layer][head][layer][head]) flattened row-major.
    public static func flat(_ value: Any?) -> [Double] {
        if let number = value as? NSNumber { return [number.doubleValue] }
        return (value as! [Any]).flatMap { flat($0) }
    }

    public static func doubles(_ value: Any?) -> [Double] { (value as! [Any]).map { ($0 as! NSNumber).doubleValue } }
    public static func ints(_ value: Any?) -> [Int] { (value as! [Any]).map { ($0 as! NSNumber).intValue } }
    public static func number(_ value: Any?) -> Double { (value as! NSNumber).doubleValue }

    /// A JSON file's top-level object.
    public static func object(at url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }
}
