import MechAnalysis
import MechModels

/// The open model's tokens for the core: `:answer` resolution and token text for any id.
public struct ModelVocabulary: TokenVocabulary, @unchecked Sendable {
    public let model: LoadedModel

    public init(model: LoadedModel) { self.model = model }

    public func resolve(_ text: String) throws -> Int { try TokenReference.resolve(text, in: model) }
    public func display(_ id: Int) -> String { TokenReference.display(id, in: model) }
}
