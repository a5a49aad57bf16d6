/// The header dictionary of a NumPy `.npy` file (`{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`),
/// written exactly as `numpy.save` writes it and parsed from any version 1.0–3.0 file.
struct NpyHeader: Equatable {
    let descr: String
    let fortranOrder: Bool
    let shape: [Int]

    /// NumPy reserves room for the first dimension to grow to this many digits in place.
    private static let growthAxisMaxDigits = 21
    private static let alignment = 64

    /// The complete preamble (magic, version 1.0, length, padded dictionary, newline) as `numpy.save`
    /// produces it, so files are byte-identical to NumPy's and the data starts 64-byte aligned.
    func encoded() -> [UInt8] {
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        var dictionary = "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), "
            + "'shape': \(shapeText), }"
        if let growing = fortranOrder ? shape.last : shape.first {
            dictionary += String(repeating: " ", count: max(Self.growthAxisMaxDigits - String(growing).count, 0))
        }
        let prefixLength = 10  // magic (6) + version (2) + UInt16 length (2)
        let unpadded = dictionary.utf8.count + 1  // + newline
        let padding = Self.alignment - (prefixLength + unpadded) % Self.alignment
        let headerLength = unpadded + padding

        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        bytes.append(UInt8(headerLength & 0xFF))
        bytes.append(UInt8(headerLength >> 8))
        bytes += Array(dictionary.utf8)
        bytes += [UInt8](repeating: 0x20, count: padding)
        bytes.append(0x0A)
        return bytes
    }

    /// Parses the preamble of `bytes`; returns the header and the offset where array data starts.
    static func decode(_ bytes: [UInt8], path: String) throws -> (header: NpyHeader, dataStart: Int) {
        func invalid(_ reason: String) -> FormatError { .invalidNpy(path: path, reason: reason) }
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw invalid("missing the \\x93NUMPY magic") }
        let major = bytes[6]
        let lengthFieldSize: Int
        switch major {
        case 1: lengthFieldSize = 2
        case 2, 3: lengthFieldSize = 4
        default: throw invalid("unknown format version \(major).\(bytes[7])")
        }
        guard bytes.count >= 8 + lengthFieldSize else { throw invalid("file ends inside the header length") }
        var headerLength = 0
        for i in (0..<lengthFieldSize).reversed() { headerLength = headerLength << 8 | Int(bytes[8 + i]) }
        let headerStart = 8 + lengthFieldSize
        guard headerLength <= bytes.count - headerStart else {
            throw invalid("header of \(headerLength) bytes runs past the end of the file")
        }
        let text = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        var parser = NpyDictionaryParser(text: text)
        let header = try parser.parse(path: path)
        return (header, headerStart + headerLength)
    }
}

/// A parser for the small Python-literal dictionary in an `.npy` header: string keys mapping to a
/// string, `True`/`False`, or a tuple of integers.
private struct NpyDictionaryParser {
    private let characters: [Character]
    private var index = 0

    init(text: String) {
        characters = Array(text)
    }

    mutating func parse(path: String) throws -> NpyHeader {
        func invalid(_ reason: String) -> FormatError { .invalidNpy(path: path, reason: "header \(reason)") }
        var descr: String?
        var fortranOrder: Bool?
        var shape: [Int]?

        skipSpaces()
        guard take("{") else { throw invalid("does not start with '{'") }
        while true {
            skipSpaces()
            if take("}") { break }
            guard let key = readQuoted() else { throw invalid("has a malformed key") }
            skipSpaces()
            guard take(":") else { throw invalid("is missing ':' after '\(key)'") }
            skipSpaces()
            switch key {
            case "descr":
                guard let value = readQuoted() else { throw invalid("'descr' is not a string") }
                descr = value
            case "fortran_order":
                if takeWord("True") { fortranOrder = true } else if takeWord("False") { fortranOrder = false } else {
                    throw invalid("'fortran_order' is not True or False")
                }
            case "shape":
                guard let value = readIntegerTuple() else { throw invalid("'shape' is not a tuple of integers") }
                shape = value
            default:
                throw invalid("has unexpected key '\(key)'")
            }
            skipSpaces()
            if take(",") { continue }
            skipSpaces()
            guard take("}") else { throw invalid("is missing ',' or '}'") }
            break
        }
        guard let descr, let fortranOrder, let shape else {
            throw invalid("lacks one of 'descr', 'fortran_order', 'shape'")
        }
        return NpyHeader(descr: descr, fortranOrder: fortranOrder, shape: shape)
    }

    private mutating func readQuoted() -> String? {
        guard index < characters.count, characters[index] == "'" || characters[index] == "\"" else { return nil }
        let quote = characters[index]
        index += 1
        let start = index
        while index < characters.count, characters[index] != quote { index += 1 }
        guard index < characters.count else { return nil }
        let value = String(characters[start..<index])
        index += 1
        return value
    }

    private mutating func readIntegerTuple() -> [Int]? {
        guard take("(") else { return nil }
        var values: [Int] = []
        while true {
            skipSpaces()
            if take(")") { return values }
            let start = index
            while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
            guard index > start, let value = Int(String(characters[start..<index])) else { return nil }
            _ = take("L")  // Python 2 long suffix
            values.append(value)
            skipSpaces()
            if take(",") { continue }
            skipSpaces()
            return take(")") ? values : nil
        }
    }

    private mutating func take(_ character: Character) -> Bool {
        guard index < characters.count, characters[index] == character else { return false }
        index += 1
        return true
    }

    private mutating func takeWord(_ word: String) -> Bool {
        let letters = Array(word)
        guard index + letters.count <= characters.count,
              Array(characters[index..<(index + letters.count)]) == letters else { return false }
        index += letters.count
        return true
    }

    private mutating func skipSpaces() {
        while index < characters.count, characters[index] == " " || characters[index] == "\n" { index += 1 }
    }
}
