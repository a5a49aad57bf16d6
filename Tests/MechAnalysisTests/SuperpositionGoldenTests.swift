import Foundation
import MechModels
import MechTensor
import MechTestSupport
import XCTest
@testable import MechAnalysis

/// SuperpositionGeometry and the toy model's forward pass against NumPy
/// (Tests/golden/analysis/make_superposition_goldens.py), on the trained sample and on a hand-made
/// model whose features have known answers (own dimension, antipodal pair, zero column, shared plane).
final class SuperpositionGoldenTests: XCTestCase {
    func testGeometryMatchesNumPy() throws {
        var checked = 0
        for (name, featureCount, _) in SuperpositionGolden.expected {
            let golden = try SuperpositionGolden.load(name)
            let toy = try ToySuperpositionModel(folder: SuperpositionGolden.folder(name))
            let geometry = SuperpositionGeometry(toy)
            XCTAssertEqual(golden.features.count, featureCount, name)
            XCTAssertEqual(geometry.features.count, featureCount, name)
            XCTAssertEqual(geometry.nHidden, golden.n_hidden)
            XCTAssertEqual(geometry.representedCount(), golden.represented_features, name)
            XCTAssertEqual(Double(geometry.frobeniusNormSquared), golden.frobenius_norm_squared,
                           accuracy: 1e-5 * golden.frobenius_norm_squared, name)
            for (ours, theirs) in zip(geometry.features, golden.features) {
                let label = "\(name) feature \(theirs.feature)"
                XCTAssertEqual(ours.index, theirs.feature, label)
                XCTAssertEqual(Double(ours.norm), theirs.norm, accuracy: 1e-5 * theirs.norm + 1e-7, "\(label) norm")
                XCTAssertEqual(Double(ours.interference), theirs.interference, accuracy: 1e-4 * theirs.interference + 1e-6,
                               "\(label) interference")
                XCTAssertEqual(Double(ours.dimensionality), theirs.dimensionality, accuracy: 1e-4 * theirs.dimensionality + 1e-7,
                               "\(label) dimensionality")
                XCTAssertEqual(Double(ours.bias), theirs.bias, accuracy: 1e-7, "\(label) bias")
                XCTAssertEqual(ours.importance, theirs.importance, "\(label) importance")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 26)
    }

    /// The hand-made model's answers, independent of any script: a dimension of its own (D = 1 up to
    /// the one overlapping feature), an antipodal pair (D = 1/2), a zero column (0, not NaN).
    func testKnownAnswersOfTheHandMadeModel() throws {
        let geometry = SuperpositionGeometry(try ToySuperpositionModel(folder: SuperpositionGolden.folder("toy-edge")))
        let f = geometry.features
        XCTAssertEqual(f[1].dimensionality, 0.5, accuracy: 1e-6)
        XCTAssertEqual(f[2].dimensionality, 0.5, accuracy: 1e-6)
        XCTAssertEqual(f[1].interference, 0.81, accuracy: 1e-5)   // (Ŵ_1·W_2)² = 0.9²
        XCTAssertEqual(f[3].norm, 0)
        XCTAssertEqual(f[3].interference, 0)
        XCTAssertEqual(f[3].dimensionality, 0)
        XCTAssertEqual(f[0].interference, 0.09, accuracy: 1e-6)   // W_5 = (0.3, 0, 0.6) overlaps e1 by 0.3
        XCTAssertEqual(geometry.frobeniusNormSquared, 1 + 0.81 + 0.81 + 0.64 + 0.09 + 0.36, accuracy: 1e-5)
    }

    func testForwardPassMatchesNumPy() throws {
        var checked = 0
        for (name, _, runCount) in SuperpositionGolden.expected {
            let golden = try SuperpositionGolden.load(name)
            let toy = try ToySuperpositionModel(folder: SuperpositionGolden.folder(name))
            XCTAssertEqual(golden.runs.count, runCount, name)
            for run in golden.runs {
                let (hidden, output) = toy.run(try toy.parseInput(run.input))
                assertClose(hidden.scalars.map(Double.init), run.hidden, relative: 1e-5, absolute: 1e-6, "\(name) hidden '\(run.input)'")
                assertClose(output.scalars.map(Double.init), run.output, relative: 1e-5, absolute: 1e-6, "\(name) output '\(run.input)'")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 10)
    }
}
