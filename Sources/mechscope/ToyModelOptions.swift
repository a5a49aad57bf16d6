import ArgumentParser

/// The MODEL argument of `features`, which reads toy superposition models only: its default is
/// the bundled superposition sample, not the induction transformer the other commands use.
struct ToyModelOptions: ParsableArguments {
    static let defaultSample = "superposition-toy"

    @Argument(help: "Toy superposition model folder (default: the superposition-toy sample).")
    var model: String?

    func resolvedSpec() throws -> String {
        if let model { return model }
        guard let sample = BundledSamples.folder(named: Self.defaultSample) else {
            throw CLIError("no MODEL given and the bundled sample '\(Self.defaultSample)' was not found "
                           + "(looked in $MECHSCOPE_SAMPLES, beside the executable and in ./samples)")
        }
        return sample.path
    }
}
