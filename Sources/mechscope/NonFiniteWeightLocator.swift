import MechAnalysis
import MechModels

/// LAPACK refuses NaN or ±∞ (its results on them are undefined), which ends an analysis of the
/// weights alone with "ssyevd: the matrix holds NaN or infinity". This names the weight instead:
/// the first one holding a non-finite value, by TransformerLens's name ("W_E (row 7)").
enum NonFiniteWeightLocator {
    static func naming<T>(_ analysis: String, model: LoadedModel, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as LAPACKError {
            guard case .nonFiniteInput = error, let weight = NonFiniteValues.firstWeight(model.transformer) else { throw error }
            throw ModelError.nonFiniteWeight(weight: weight, folder: model.folder.path, analysis: analysis)
        }
    }
}
