import Foundation
import MechFormats

/// Any model folder Mechscope opens, by its config's `model_type`: a transformer (GPT-2 family)
/// or a toy superposition model.
public enum AnyModel {
    case transformer(LoadedModel)
    case toySuperposition(ToySuperpositionModel)

    /// Opens MODEL as a user typed it (folder path or hub id in the local cache).
    public static func open(_ spec: String,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AnyModel {
        if let gguf = try GGUFPath.file(spec) { return .transformer(try LoadedModel(gguf: gguf)) }
        let folder = try ModelLocator(environment: environment).locate(spec).folder
        let json = try JSONConfig(url: folder.appendingPathComponent("config.json"))
        if try json.optionalString("model_type") == ToySuperpositionModel.modelType {
            return .toySuperposition(try ToySuperpositionModel(folder: folder))
        }
        return .transformer(try LoadedModel(folder: folder))
    }

    public var folder: URL {
        switch self {
        case .transformer(let m): return m.folder
        case .toySuperposition(let m): return m.folder
        }
    }
}
