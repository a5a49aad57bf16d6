/// What Hugging Face adds around encoded ids when `add_special_tokens=True` (`post_processor`):
/// BOS/CLS/SEP/EOS tokens from a template. A chain of steps (`Sequence`), each turning the list of
/// encoded sequences (one, or two for a pair) into the next.
struct TokenizerPostProcessor: Sendable {
    enum Step: Sendable {
        /// `TemplateProcessing`, `BertProcessing` and `RobertaProcessing`, all as templates.
        case template(single: [TemplatePiece], pair: [TemplatePiece])
        /// `ByteLevel`: adjusts offsets only; ids pass through unchanged.
        case byteLevel
    }

    enum TemplatePiece: Sendable, Equatable {
        /// `$A` (index 0) or `$B` (index 1).
        case sequence(Int)
        /// A special token's ids (usually one).
        case special([Int])
    }

    let steps: [Step]

    /// No post-processor in the file: `add_special_tokens` adds nothing.
    static let none = TokenizerPostProcessor(steps: [])

    /// Whether some step puts special tokens around a single or paired text.
    var addsSpecialTokens: Bool {
        steps.contains { step in
            guard case .template(let single, let pair) = step else { return false }
            return (single + pair).contains { if case .special = $0 { return true } else { return false } }
        }
    }

    /// The ids of `sequences` (one or two encoded texts) with the special tokens the steps add.
    func process(_ sequences: [[Int]]) -> [Int] {
        apply(sequences) { $0 }
    }

    /// The special token ids the steps put before and after one text (`$A`): `([BOS], [])` for a
    /// Llama template, `([CLS], [SEP])` for BERT's, none without a template.
    var aroundSingleText: (leading: [Int], trailing: [Int]) {
        enum Slot { case text, special(Int) }
        let slots = apply([[Slot.text]]) { Slot.special($0) }
        let ids = { (part: ArraySlice<Slot>) in part.compactMap { slot -> Int? in
            if case .special(let id) = slot { return id } else { return nil } } }
        guard let at = slots.firstIndex(where: { if case .text = $0 { return true } else { return false } }) else {
            return (ids(slots[...]), [])
        }
        return (ids(slots[..<at]), ids(slots[(at + 1)...]))
    }

    /// The steps run on sequences of any element: ids, or placeholders that show where the text goes.
    private func apply<Element>(_ sequences: [[Element]], special: (Int) -> Element) -> [Element] {
        var current = sequences
        for step in steps {
            switch step {
            case .byteLevel:
                continue
            case .template(let single, let pair):
                let template = current.count == 1 ? single : pair
                var out: [Element] = []
                for piece in template {
                    switch piece {
                    case .sequence(let index): if index < current.count { out.append(contentsOf: current[index]) }
                    case .special(let specialIDs): out.append(contentsOf: specialIDs.map(special))
                    }
                }
                current = [out]
            }
        }
        return current.flatMap { $0 }
    }
}
