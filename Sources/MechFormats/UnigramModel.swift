/// SentencePiece's unigram model as Hugging Face's `models.Unigram` runs it: the pieces of one
/// pre-tokenized word are the path through the word with the highest sum of piece scores (Viterbi over
/// every vocabulary piece starting at each character, `tokenizers`' `encode_optimized`). A character no
/// piece starts with is the unknown piece, scored 10 below the lowest score; neighbouring unknowns fuse
/// into one. A piece that is not a vocabulary key becomes its `<0xNN>` byte tokens with byte fallback,
/// else the unknown id.
struct UnigramModel: Sendable {
    /// Vocabulary string to id (a repeated piece keeps its last id).
    let tokenToID: [ExactText: Int]
    let unknownID: Int?
    let usesByteFallback: Bool
    private let scores: [Double]
    private let unknownScore: Double
    private let trie: ByteTrie

    /// `pieces` in id order with their scores; `path` names the file in errors.
    init(pieces: [(String, Double)], unknownID: Int?, usesByteFallback: Bool, path: String) throws {
        if let unknownID, !pieces.indices.contains(unknownID) {
            throw TokenizerError.invalidContent(path: path, problem: "model.unk_id \(unknownID) is not an id of model.vocab (\(pieces.count) pieces)")
        }
        var ids: [ExactText: Int] = [:]
        var trie = ByteTrie()
        for (id, (piece, _)) in pieces.enumerated() {
            ids[ExactText(piece)] = id
        }
        for (piece, id) in ids { trie.insert(Array(piece.text.utf8), id: id) }
        tokenToID = ids
        self.unknownID = unknownID
        self.usesByteFallback = usesByteFallback
        scores = pieces.map(\.1)
        unknownScore = (scores.min() ?? 0) - 10
        self.trie = trie
    }

    /// The ids of one pre-tokenized word.
    func tokenize(_ word: String) throws -> [Int] {
        var ids: [Int] = []
        for piece in try bestPath(word) {
            if let id = tokenToID[ExactText(piece)] {
                ids.append(id)
                continue
            }
            if usesByteFallback {
                let bytes = piece.utf8.map { tokenToID[ExactText(Self.byteToken($0))] }
                if bytes.allSatisfy({ $0 != nil }) {
                    ids.append(contentsOf: bytes.compactMap { $0 })
                    continue
                }
            }
            guard let unknownID else { throw TokenizerError.noUnknownPiece(word: word) }
            ids.append(unknownID)
        }
        return ids
    }

    /// The pieces of the best-scoring segmentation, in order (`encode_optimized`: ties keep the first
    /// candidate found, scanning start positions left to right and shorter pieces first).
    private func bestPath(_ word: String) throws -> [String] {
        let bytes = Array(word.utf8)
        guard !bytes.isEmpty else { return [] }
        struct Node {
            var id = -1
            var score = 0.0
            var start: Int? = nil
        }
        var best = [Node](repeating: Node(), count: bytes.count + 1)
        var start = 0
        while start < bytes.count {
            let scoreHere = best[start].score
            let characterLength = Self.utf8Length(leadingByte: bytes[start])
            var coversCharacter = false
            trie.forEachPrefix(of: bytes, from: start) { end, id in
                let candidate = scores[id] + scoreHere
                if best[end].start == nil || candidate > best[end].score {
                    best[end] = Node(id: id, score: candidate, start: start)
                }
                if end - start == characterLength { coversCharacter = true }
            }
            if !coversCharacter {
                guard let unknownID else { throw TokenizerError.noUnknownPiece(word: word) }
                let end = min(start + characterLength, bytes.count)
                let candidate = unknownScore + scoreHere
                if best[end].start == nil || candidate > best[end].score {
                    best[end] = Node(id: unknownID, score: candidate, start: start)
                }
            }
            start += characterLength
        }
        var pieces: [String] = []
        var unknownRun: [UInt8] = []
        var end = bytes.count
        while end > 0 {
            let node = best[end]
            let from = node.start!
            if node.id == unknownID {
                unknownRun.insert(contentsOf: bytes[from..<end], at: 0)
            } else {
                if !unknownRun.isEmpty {
                    pieces.append(String(decoding: unknownRun, as: UTF8.self))
                    unknownRun = []
                }
                pieces.append(String(decoding: bytes[from..<end], as: UTF8.self))
            }
            end = from
        }
        if !unknownRun.isEmpty { pieces.append(String(decoding: unknownRun, as: UTF8.self)) }
        return pieces.reversed()
    }

    private static func utf8Length(leadingByte byte: UInt8) -> Int {
        switch byte {
        case 0..<0x80: return 1
        case 0xF0...: return 4
        case 0xE0...: return 3
        default: return 2
        }
    }

    private static func byteToken(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
    }
}

/// A byte trie over vocabulary pieces, for the prefixes of a word that are pieces.
private struct ByteTrie: Sendable {
    private var children: [[UInt8: Int32]] = [[:]]
    private var ids: [Int32] = [-1]

    mutating func insert(_ bytes: [UInt8], id: Int) {
        var node = 0
        for byte in bytes {
            if let next = children[node][byte] {
                node = Int(next)
            } else {
                children.append([:])
                ids.append(-1)
                children[node][byte] = Int32(children.count - 1)
                node = children.count - 1
            }
        }
        ids[node] = Int32(id)
    }

    /// Calls `body(end, id)` for each piece that `bytes[start..<end]` spells, shortest first.
    func forEachPrefix(of bytes: [UInt8], from start: Int, _ body: (Int, Int) -> Void) {
        var node = 0
        var index = start
        while index < bytes.count, let next = children[node][bytes[index]] {
            node = Int(next)
            index += 1
            if ids[node] >= 0 { body(index, Int(ids[node])) }
        }
    }
}
