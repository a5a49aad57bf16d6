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

    static func isKnownToHuggingFace(_ properties: Unicode.Scalar.Properties) -> Bool {
        guard let age = properties.age else { return false }
        return age.major < huggingFaceUnicodeVersion.major
            || (age.major == huggingFaceUnicodeVersion.major && age.minor <= huggingFaceUnicodeVersion.minor)
    }
}

extension TokenizerScalarClasses {
    /// The two-letter codes of the Unicode general categories, in `generalCategoryIndex` order.
    static let generalCategoryCodes = [
        "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po",
        "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn",
    ]

    /// Scalars whose category in Hugging Face's Unicode 16.0 tables differs from newer tables the
    /// toolchain may have (U+0295 became Lo in Unicode 17).
    private static let huggingFaceCategoryOverrides: [UInt32: Int] = [0x0295: 1]

    /// The index in `generalCategoryCodes` of the category Hugging Face's regex engine sees:
    /// "Cn" (29) for scalars assigned after `huggingFaceUnicodeVersion`.
    static func generalCategoryIndex(_ scalar: Unicode.Scalar) -> Int {
        if let override = huggingFaceCategoryOverrides[scalar.value] { return override }
        let properties = scalar.properties
        let index: Int
        switch properties.generalCategory {
        case .uppercaseLetter: index = 0
        case .lowercaseLetter: index = 1
        case .titlecaseLetter: index = 2
        case .modifierLetter: index = 3
        case .otherLetter: index = 4
        case .nonspacingMark: index = 5
        case .spacingMark: index = 6
        case .enclosingMark: index = 7
        case .decimalNumber: index = 8
        case .letterNumber: index = 9
        case .otherNumber: index = 10
        case .connectorPunctuation: index = 11
        case .dashPunctuation: index = 12
        case .openPunctuation: index = 13
        case .closePunctuation: index = 14
        case .initialPunctuation: index = 15
        case .finalPunctuation: index = 16
        case .otherPunctuation: index = 17
        case .mathSymbol: index = 18
        case .currencySymbol: index = 19
        case .modifierSymbol: index = 20
        case .otherSymbol: index = 21
        case .spaceSeparator: index = 22
        case .lineSeparator: index = 23
        case .paragraphSeparator: index = 24
        case .control: index = 25
        case .format: index = 26
        case .surrogate: index = 27
        case .privateUse: index = 28
        case .unassigned: return 29
        @unknown default: return 29
        }
        if index >= 25 && index != 26 { return index }
        return isKnownToHuggingFace(properties) ? index : 29
    }
}

/// The character classes of BERT's normalizer and pre-tokenizer and of the `Digits`, `Punctuation`
/// and `StripAccents` steps. `tokenizers` takes them from the `unicode_categories` crate, whose
/// tables stop at an old Unicode version (`bertUnicodeVersion`), and from Rust's `char` methods.
/// Tests compare them with Hugging Face for every scalar (Tests/golden/tokenizers/bert_scalar_classes.json).
extension TokenizerScalarClasses {
    /// The Unicode version of the `unicode_categories` crate's tables.
    static let bertUnicodeVersion = (major: 8, minor: 0)

    /// Scalars whose category those old tables record differently from today's.
    private static let bertPunctuationExtras: Set<UInt32> = [0x166D, 0x111C8, 0x111C9]
    private static let bertNonspacingMarkExtras: Set<UInt32> = [0x1734, 0x1171E]
    private static let bertNonspacingMarkExclusions: Set<UInt32> = [0x1885, 0x1886, 0xA9BD, 0x111C9]

    private static func isInBertTables(_ properties: Unicode.Scalar.Properties) -> Bool {
        guard let age = properties.age else { return false }
        return age.major < bertUnicodeVersion.major
            || (age.major == bertUnicodeVersion.major && age.minor <= bertUnicodeVersion.minor)
    }

    /// BERT `clean_text` drops NUL, U+FFFD and "other" characters (Cc, Cf, Co, Cs) except tab, LF and CR.
    static func isRemovedByBertCleanText(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0, 0xFFFD: return true
        case 0x09, 0x0A, 0x0D: return false
        default: break
        }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .control, .privateUse, .surrogate: return true
        case .format: return isInBertTables(properties)
        default: return false
        }
    }

    /// BERT whitespace: tab, LF, CR and Unicode White_Space.
    static func isBertWhitespace(_ scalar: Unicode.Scalar) -> Bool { isWhitespace(scalar) }

    /// BERT's "Chinese character": the CJK Unified Ideograph blocks it lists.
    static func isBertChineseCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// Category Mn in the old tables (what BERT's accent stripping removes after NFD).
    static func isBertNonspacingMark(_ scalar: Unicode.Scalar) -> Bool {
        if bertNonspacingMarkExtras.contains(scalar.value) { return true }
        if bertNonspacingMarkExclusions.contains(scalar.value) { return false }
        let properties = scalar.properties
        return properties.generalCategory == .nonspacingMark && isInBertTables(properties)
    }

    /// ASCII punctuation or category P in the old tables (BertPreTokenizer, Punctuation).
    static func isBertPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 128 {
            let value = scalar.value
            return (0x21...0x2F).contains(value) || (0x3A...0x40).contains(value)
                || (0x5B...0x60).contains(value) || (0x7B...0x7E).contains(value)
        }
        if bertPunctuationExtras.contains(scalar.value) { return true }
        if bertNonspacingMarkExclusions.contains(scalar.value) { return false }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation:
            return isInBertTables(properties)
        default:
            return false
        }
    }

    /// Rust's `char::is_numeric` (categories Nd, Nl, No), used by the `Digits` pre-tokenizer.
    static func isNumeric(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 128 { return scalar.value >= 0x30 && scalar.value <= 0x39 }
        switch scalar.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return isKnownToHuggingFace(scalar.properties)
        default: return false
        }
    }

    /// A combining mark (categories Mn, Mc, Me), what the `StripAccents` normalizer removes.
    static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return isKnownToHuggingFace(properties)
        default: return false
        }
    }
}
