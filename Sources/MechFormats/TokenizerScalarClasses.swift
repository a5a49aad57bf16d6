/// How Hugging Face's pre-tokenizer regexes classify a Unicode scalar.
///
/// `tokenizers` 0.23 compiles Unicode 16.0 tables into its regex engines, while the Swift standard
/// library may know a newer Unicode. A scalar first assigned after 16.0 is therefore treated as
/// unassigned (category Cn: not a letter, number, mark or space), which is what Hugging Face sees.
/// Tests compare these classes with Hugging Face for every scalar (Tests/golden/tokenizers/scalar_classes.json).
enum TokenizerScalarClasses {
    /// The GPT-2 pre-tokenizer regex's view of a scalar: `\p{L}`, `\p{N}`, `\s`, or none of them.
    enum GPT2Class: UInt8, Sendable {
        case letter, number, whitespace, other
    }

    /// The newest Unicode version whose assignments Hugging Face's tables contain.
    static let huggingFaceUnicodeVersion = (major: 16, minor: 0)

    private static let asciiGPT2Classes: [GPT2Class] = (0..<128).map { value in
        classifyGPT2(Unicode.Scalar(UInt8(value)))
    }

    /// `\p{L}` / `\p{N}` / `\s` (Unicode White_Space) / other, as the GPT-2 regex sees `scalar`.
    static func gpt2Class(_ scalar: Unicode.Scalar) -> GPT2Class {
        if scalar.value < 128 { return asciiGPT2Classes[Int(scalar.value)] }
        return classifyGPT2(scalar)
    }

    private static func classifyGPT2(_ scalar: Unicode.Scalar) -> GPT2Class {
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return isKnownToHuggingFace(properties) ? .letter : .other
        case .decimalNumber, .letterNumber, .otherNumber:
            return isKnownToHuggingFace(properties) ? .number : .other
        default:
            return properties.isWhitespace ? .whitespace : .other
        }
    }

    /// Regex `\w` with Unicode semantics (Rust `regex`): Alphabetic, marks, decimal digits,
    /// connector punctuation and join controls. Used by the Whitespace pre-tokenizer and by
    /// added tokens' `single_word` rule.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 128 {
            let value = UInt8(scalar.value)
            return (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A)
                || (value >= 0x61 && value <= 0x7A) || value == 0x5F
        }
        let properties = scalar.properties
        var isWord = properties.isAlphabetic || properties.isJoinControl
        if !isWord {
            switch properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation:
                isWord = true
            default:
                isWord = false
            }
        }
        return isWord && isKnownToHuggingFace(properties)
    }

    /// Regex `\s` and Rust `char::is_whitespace`: the Unicode White_Space property.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 128 {
            return scalar.value == 0x20 || (scalar.value >= 0x09 && scalar.value <= 0x0D)
        }
        return scalar.properties.isWhitespace
    }

    private static func isKnownToHuggingFace(_ properties: Unicode.Scalar.Properties) -> Bool {
        guard let age = properties.age else { return false }
        return age.major < huggingFaceUnicodeVersion.major
            || (age.major == huggingFaceUnicodeVersion.major && age.minor <= huggingFaceUnicodeVersion.minor)
    }
}
