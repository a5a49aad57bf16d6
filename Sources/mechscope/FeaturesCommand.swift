import ArgumentParser
import MechModels

/// `mechscope features`: the feature geometry of a toy superposition model.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Show a toy superposition model's feature norms, interference and dimensionality.")

    @OptionGroup var toyOptions: ToyModelOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        guard case .toySuperposition(let toy) = try AnyModel.open(try toyOptions.resolvedSpec()) else {
            throw ModelKindError.featuresNeedsToyModel
        }
        try ToyModelReport.features(toy, json: json)
    }
}
