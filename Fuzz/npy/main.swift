import Foundation
@testable import MechFormats
import MechTensor

/// libFuzzer target `npy`: the input is a `.npy` file, read as floats (`NpyFile.decode`) and as
/// integers (`NpyFile.decodeIntegers`). A float array that loads must survive `encode` → `decode`
/// bit for bit.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNpy(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let integers = attempt({ try NpyFile.decodeIntegers(bytes, path: "fuzz.npy") }) {
        check(integers.values.count == integers.shape.reduce(1, *), "integer count differs from the shape")
    }
    guard let tensor = attempt({ try NpyFile.decode(bytes, path: "fuzz.npy") }) else { return 0 }
    let again: Tensor
    do {
        again = try NpyFile.decode(Array(NpyFile.encode(tensor)), path: "again.npy")
    } catch {
        fatalError("a written .npy does not read back: \(error)")
    }
    check(again.shape == tensor.shape, "shape changed in a round trip")
    check(again.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern), "values changed in a round trip")
    return 0
}
