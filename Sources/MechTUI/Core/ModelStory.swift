import Foundation
import MechFormats
import MechModels

/// The page a model opens on: the view that shows what it learned. A model folder says so in its
/// `config.json` — data, not a list of sample names:
///
///     "mechscope_story": {"page": "atlas"}
///     "mechscope_story": {"page": "fourier", "modulus": 113, "template": "{a} {b} ="}
///     "mechscope_story": {"page": "features"}
///
/// Without the key a transformer opens on the head atlas and a toy superposition model on its
/// features page (the only page it has).
public enum ModelStory: Hashable, Sendable {
    case atlas
    /// Modular addition: the embedding's Fourier spectrum and the model over every input.
    case fourier(FourierStory)
    /// A toy superposition model's feature geometry.
    case features

    public static let key = "mechscope_story"

    /// The page to open.
    public var page: Page {
        switch self {
        case .atlas: return .atlas
        case .fourier: return .fourier
        case .features: return .features
        }
    }

    /// The story named in `config.json` of `folder` (a one-line error naming the file and key
    /// when it is malformed); `isToy` chooses the default and which stories are possible. A model
    /// opened from a GGUF file has no config.json to name one: it opens on the default page.
    public static func read(folder: URL, isToy: Bool) throws -> ModelStory {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return isToy ? .features : .atlas
        }
        let config = try JSONConfig(url: folder.appendingPathComponent("config.json"))
        guard let section = try config.optionalSection(key) else { return isToy ? .features : .atlas }
        let page = try section.string("page")
        let file = config.url.path
        switch (page, isToy) {
        case ("features", true): return .features
        case ("atlas", false): return .atlas
        case ("fourier", false):
            let story = FourierStory(modulus: try section.int("modulus"),
                                     template: try section.optionalString("template") ?? FourierStory.defaultTemplate)
            guard story.modulus >= 2 else { throw ModelStoryError.bad(file: file, problem: "modulus must be at least 2") }
            guard story.template.contains("{a}"), story.template.contains("{b}") else {
                throw ModelStoryError.bad(file: file, problem: "template '\(story.template)' needs {a} and {b}")
            }
            return .fourier(story)
        case ("atlas", true), ("fourier", true):
            throw ModelStoryError.bad(file: file, problem: "page '\(page)' needs a transformer; a toy model has the features page")
        case ("features", false):
            throw ModelStoryError.bad(file: file, problem: "page 'features' is for toy superposition models")
        default:
            throw ModelStoryError.bad(file: file, problem: "unknown page '\(page)' (atlas, fourier, features)")
        }
    }
}

/// A modular-addition model's inputs: `template` with `{a}` and `{b}` replaced by numbers below
/// `modulus`; the answer is the token of (a + b) mod modulus at the last position.
public struct FourierStory: Hashable, Sendable {
    public static let defaultTemplate = "{a} {b} ="
    public let modulus: Int
    public let template: String

    public init(modulus: Int, template: String = FourierStory.defaultTemplate) {
        self.modulus = modulus
        self.template = template
    }

    public func prompt(_ a: Int, _ b: Int) -> String {
        template.replacingOccurrences(of: "{a}", with: String(a)).replacingOccurrences(of: "{b}", with: String(b))
    }
}

public enum ModelStoryError: Error, Equatable, CustomStringConvertible {
    case bad(file: String, problem: String)

    public var description: String {
        switch self {
        case .bad(let file, let problem): return "\(file): \(ModelStory.key): \(problem)"
        }
    }
}

extension ExplorerState {
    /// A toy superposition model's state: no tokens, no prompt, its features computed now.
    public init(toy: ToySuperpositionModel, width: Int, height: Int) {
        self.init(width: width, height: height,
                  model: ModelSummary(toyName: ModelName.of(toy.folder), features: toy.nFeatures, hidden: toy.nHidden),
                  vocabulary: NoVocabulary(), prompt: "", prependBOS: false)
        featureMap = FeatureMap(toy)
        open(.features)
    }

    /// Opens on the story's page.
    public mutating func open(_ story: ModelStory) {
        self.story = story
        page = story.page
    }
}

/// The vocabulary of a model without tokens (a toy superposition model).
struct NoVocabulary: TokenVocabulary {
    struct NoTokens: Error, CustomStringConvertible {
        var description: String { "this model has no tokens" }
    }
    func resolve(_ text: String) throws -> Int { throw NoTokens() }
    func display(_ id: Int) -> String { "#\(id)" }
}
