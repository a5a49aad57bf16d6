/// Byte-pair-encoding model: splits one pre-tokenized word into vocabulary ids by applying merges in
/// rank order, exactly as Hugging Face's `models.BPE` does (without dropout).
struct BPEModel: Sendable {
    private struct Merge {
        let rank: Int32
        let newID: Int32
    }

    /// Vocabulary string to id.
    let tokenToID: [ExactText: Int]
    /// Options from `tokenizer.json` that change how words are split.
    let unknownTokenID: Int?
    let continuingSubwordPrefix: String?
    let endOfWordSuffix: String?
    let fusesUnknown: Bool
    let usesByteFallback: Bool
    let ignoresMerges: Bool
    private let merges: [UInt64: Merge]
    private let cache = BPEWordCache()

    /// Builds the model; `merges` are in rank order (first = applied first). `path` names the file in errors.
    init(vocabulary: [ExactText: Int], merges mergePairs: [(String, String)], unknownToken: String?,
         continuingSubwordPrefix: String?, endOfWordSuffix: String?, fusesUnknown: Bool,
         usesByteFallback: Bool, ignoresMerges: Bool, path: String) throws {
        tokenToID = vocabulary
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.endOfWordSuffix = endOfWordSuffix
        self.fusesUnknown = fusesUnknown
        self.usesByteFallback = usesByteFallback
        self.ignoresMerges = ignoresMerges
        if let unknownToken {
            guard let id = vocabulary[ExactText(unknownToken)] else {
                throw TokenizerError.invalidContent(path: path, problem: "unk_token \"\(unknownToken)\" is not in the vocabulary")
            }
            unknownTokenID = id
        } else {
            unknownTokenID = nil
        }
        let prefixLength = continuingSubwordPrefix?.utf8.count ?? 0
        var table: [UInt64: Merge] = [:]
        table.reserveCapacity(mergePairs.count)
        for (rank, (left, right)) in mergePairs.enumerated() {
            guard let leftID = vocabulary[ExactText(left)] else {
                throw TokenizerError.mergeTokenNotInVocabulary(path: path, token: left)
            }
            guard let rightID = vocabulary[ExactText(right)] else {
                throw TokenizerError.mergeTokenNotInVocabulary(path: path, token: right)
            }
            let rightRest = right.utf8.dropFirst(prefixLength)
            guard let rightText = String(rightRest) else {
                throw TokenizerError.invalidContent(path: path, problem: "merge token \"\(right)\" does not start with the continuing_subword_prefix")
            }
            let merged = left + rightText
            guard let newID = vocabulary[ExactText(merged)] else {
                throw TokenizerError.mergeTokenNotInVocabulary(path: path, token: merged)
            }
            guard let rank32 = Int32(exactly: rank), let mergedID = Int32(exactly: newID) else {
                throw TokenizerError.invalidContent(path: path, problem: "too many merges or id out of range")
            }
            table[Self.pairKey(leftID, rightID)] = Merge(rank: rank32, newID: mergedID)
        }
        merges = table
    }

    private static func pairKey(_ left: Int, _ right: Int) -> UInt64 {
        UInt64(UInt32(truncatingIfNeeded: left)) << 32 | UInt64(UInt32(truncatingIfNeeded: right))
    }

    /// The ids of one pre-tokenized word (already in the vocabulary's alphabet).
    func tokenize(_ word: String) -> [Int] {
        if word.isEmpty { return [] }
        let key = ExactText(word)
        if ignoresMerges, let id = tokenToID[key] { return [id] }
        if let cached = cache.ids(for: key) { return cached }
        let ids = mergeWord(word)
        cache.store(ids, for: key)
        return ids
    }

    /// Initial symbols (one per scalar, with unknown / byte-fallback handling), then all merges.
    private func mergeWord(_ word: String) -> [Int] {
        var symbols: [Int32] = []
        var unknown: Int32? = nil
        let scalars = Array(word.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            var piece = String(Character(scalar))
            if index > 0, let prefix = continuingSubwordPrefix { piece = prefix + piece }
            if index == scalars.count - 1, let suffix = endOfWordSuffix { piece += suffix }
            if let id = tokenToID[ExactText(piece)] {
                if let pending = unknown { symbols.append(pending); unknown = nil }
                symbols.append(Int32(truncatingIfNeeded: id))
                continue
            }
            if usesByteFallback {
                let byteIDs = piece.utf8.map { tokenToID[ExactText(Self.byteFallbackToken($0))] }
                if byteIDs.allSatisfy({ $0 != nil }) {
                    // Hugging Face leaves a pending unknown in place here; it lands after these bytes.
                    symbols.append(contentsOf: byteIDs.compactMap { $0.map { Int32(truncatingIfNeeded: $0) } })
                    continue
                }
            }
            if let unknownID = unknownTokenID.map({ Int32(truncatingIfNeeded: $0) }) {
                if let pending = unknown, !fusesUnknown { symbols.append(pending) }
                unknown = unknownID
            }
        }
        if let pending = unknown { symbols.append(pending) }
        return applyMerges(to: symbols)
    }

    /// `<0xAB>`, the byte-fallback token for one byte.
    private static func byteFallbackToken(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
    }

    /// Hugging Face's `Word::merge_all`: repeatedly merge the lowest-rank adjacent pair (leftmost on ties).
    private func applyMerges(to initial: [Int32]) -> [Int] {
        let count = initial.count
        if count < 2 { return initial.map { Int($0) } }
        var ids = initial
        var previous = (0..<count).map { $0 - 1 }
        var next = (0..<count).map { $0 + 1 }
        var alive = [Bool](repeating: true, count: count)
        var queue = BPEMergeQueue(capacity: count)
        for position in 0..<(count - 1) {
            if let merge = merges[Self.pairKey(Int(ids[position]), Int(ids[position + 1]))] {
                queue.push(.init(rank: merge.rank, position: Int32(position), newID: merge.newID))
            }
        }
        while let top = queue.pop() {
            let position = Int(top.position)
            guard alive[position], next[position] < count else { continue }
            let right = next[position]
            guard let current = merges[Self.pairKey(Int(ids[position]), Int(ids[right]))],
                  current.newID == top.newID else { continue }
            ids[position] = top.newID
            alive[right] = false
            next[position] = next[right]
            if next[right] < count { previous[next[right]] = position }
            let left = previous[position]
            if left >= 0, let merge = merges[Self.pairKey(Int(ids[left]), Int(ids[position]))] {
                queue.push(.init(rank: merge.rank, position: Int32(left), newID: merge.newID))
            }
            let after = next[position]
            if after < count, let merge = merges[Self.pairKey(Int(ids[position]), Int(ids[after]))] {
                queue.push(.init(rank: merge.rank, position: Int32(position), newID: merge.newID))
            }
        }
        var result: [Int] = []
        result.reserveCapacity(count)
        for index in 0..<count where alive[index] { result.append(Int(ids[index])) }
        return result
    }
}
