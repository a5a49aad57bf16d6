import MechModels

/// Reports are printed even when some number in them is not finite (JSON writes those as null),
/// but the command then fails with one line naming the hook where non-finite values first appear,
/// so a NaN is never printed silently.
enum NonFiniteGuard {
    /// Prints `report` as JSON, or through `text`; then throws `ModelError.nonFiniteValues` when any
    /// number in it is not finite, located by re-running `prompts` (in order) with every hook cached.
    /// `explained`: the report itself says in one line why its NaNs are NaN (a 0/0 it defines), so
    /// with every activation finite there is nothing more to report.
    static func print<T: Encodable>(_ report: T, json: Bool, model: LoadedModel, prompts: [[Int]],
                                    explained: Bool = false, text: () throws -> Void) throws {
        let nonFinite: Bool
        if json {
            nonFinite = try JSONOutput.print(report)
        } else {
            try text()
            nonFinite = try JSONOutput.encode(report).hadNonFinite
        }
        guard nonFinite else { return }
        for tokens in prompts {
            if let hook = try NonFiniteValues.firstHook(model.transformer, tokens: tokens) {
                throw ModelError.nonFiniteValues(hook: hook, folder: model.folder.path)
            }
        }
        if explained { return }
        throw ModelError.nonFiniteValues(hook: "the analysis (every activation is finite)", folder: model.folder.path)
    }
}
