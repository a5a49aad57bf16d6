import ArgumentParser
import MechModels

/// `mechscope features`: the feature geometry of a toy superposition model.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Show a toy superposition model's feature norms, interference and dimensionality.")

    @OptionGroup var modelOptions: ModelOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        guard case .toySuperposition(let toy) = try modelOptions.openAny() else {
            throw CLIError("'features' reads toy superposition models (model_type toy_superposition); "
                           + "for a transformer's neurons use 'mechscope dla --per neuron'")
        }
        try ToyModelReport.features(toy, json: json)
    }
}
