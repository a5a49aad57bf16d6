import Foundation
@testable import MechFormats
import MechTensor

/// Where a header that validates is written so `SafetensorsFile` can map it (tmpfs when there is one).
private let scratchFile: URL = {
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return URL(fileURLWithPath: folder).appendingPathComponent("mechscope-fuzz-\(getpid()).safetensors")
}()

/// libFuzzer target `safetensors`: the input is a whole `.safetensors` file. Its header is validated
/// in memory (`SafetensorsHeader`); when that succeeds the file is also opened as `SafetensorsFile`
/// and every F32/F16/BF16 tensor is read, so the byte ranges the header promised are really touched.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let header = attempt({ try SafetensorsHeader(file: bytes, path: "fuzz.safetensors") }) else { return 0 }
    for info in header.tensors.values {
        check(info.fileByteRange.upperBound <= size, "tensor \(info.name) ends past the file")
        check(info.elementCount * info.dtype.byteSize == info.byteCount, "tensor \(info.name) size mismatch")
    }

    do {
        try Data(bytes).write(to: scratchFile)
    } catch {
        fatalError("cannot write the scratch file \(scratchFile.path): \(error)")
    }
    defer { try? FileManager.default.removeItem(at: scratchFile) }
    let file: SafetensorsFile
    do {
        file = try SafetensorsFile(url: scratchFile)
    } catch {
        fatalError("SafetensorsFile refused a header SafetensorsHeader accepted: \(error)")
    }
    for name in file.tensorNames where file.info(named: name)?.dtype.isLoadable == true {
        guard let tensor = attempt({ try file.tensor(named: name) }) else { fatalError("cannot read tensor \(name)") }
        check(tensor.shape == header.tensors[name]?.shape, "tensor \(name) has the wrong shape")
        _ = tensor.scalars.reduce(0, +)
    }
    return 0
}
