import XCTest
@testable import MechTensor

/// The one-pass transpose-and-widen kernels against the definition: out[j, i] = widen(src[i, j]),
/// on shapes that are not multiples of the kernel's tiles, big enough to be split across threads,
/// from unaligned bytes, and on every special 16-bit value.
final class TransposedWideningTests: XCTestCase {
    /// F16 bits → Float, by the IEEE 754 definition (independent of the kernel's bit arithmetic).
    private func float16Value(_ bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int(bits >> 10) & 0x1F, mantissa = Float(bits & 0x3FF)
        if exponent == 0x1F { return mantissa == 0 ? sign * .infinity : .nan }
        if exponent == 0 { return sign * mantissa * Float(pow(2.0, -24.0)) }
        return sign * (1 + mantissa / 1024) * Float(pow(2.0, Double(exponent - 15)))
    }

    private func check(rows: Int, cols: Int, offset: Int, _ type: StoredFloat, bits: (Int) -> UInt32,
                       value: (UInt32) -> Float, file: StaticString = #filePath, line: UInt = #line) {
        let size = type == .float32 ? 4 : 2
        let bytes = UnsafeMutableRawPointer.allocate(byteCount: rows * cols * size + offset, alignment: 16)
        defer { bytes.deallocate() }
        for k in 0..<(rows * cols) {
            let b = bits(k)
            if size == 4 { bytes.storeBytes(of: b, toByteOffset: offset + 4 * k, as: UInt32.self) }
            else { bytes.storeBytes(of: UInt16(truncatingIfNeeded: b), toByteOffset: offset + 2 * k, as: UInt16.self) }
        }
        let out = TransposedWidening.transpose(UnsafeRawPointer(bytes + offset), rows: rows, cols: cols, as: type)
        XCTAssertEqual(out.shape, [cols, rows], file: file, line: line)
        var mismatches = 0, checked = 0
        for i in 0..<rows {
            for j in 0..<cols {
                let expected = value(bits(i * cols + j)), got = out.pointer[j * rows + i]
                let same = expected.isNaN ? got.isNaN : got.bitPattern == expected.bitPattern
                if !same { mismatches += 1 }
                checked += 1
            }
        }
        XCTAssertEqual(checked, rows * cols, file: file, line: line)
        XCTAssertEqual(mismatches, 0, "\(type) \(rows)×\(cols) at byte offset \(offset)", file: file, line: line)
    }

    func testEveryFloat16BitPatternWidensExactly() {
        // 65536 patterns as a 256×256 matrix: zeros, subnormals, normals, infinities, NaNs, both signs.
        check(rows: 256, cols: 256, offset: 2, .float16, bits: { UInt32($0) }, value: { self.float16Value(UInt16($0)) })
    }

    func testEveryBFloat16BitPatternWidensExactly() {
        check(rows: 256, cols: 256, offset: 2, .bfloat16, bits: { UInt32($0) },
              value: { Float(bitPattern: $0 << 16) })
    }

    func testOddShapesAndThreadSplits() {
        // Small (one thread, partial tiles) and large (split by columns across threads) shapes.
        var state: UInt32 = 12345
        func next(_: Int) -> UInt32 { state = state &* 1664525 &+ 1013904223; return state }
        var table: [Int: UInt32] = [:]
        for (rows, cols) in [(1, 1), (3, 70), (65, 17), (1000, 777), (513, 1030)] {
            table.removeAll()
            let bits: (Int) -> UInt32 = { k in
                if let b = table[k] { return b }
                let b = next(k) & 0x7F7F_FFFF   // finite floats
                table[k] = b
                return b
            }
            check(rows: rows, cols: cols, offset: 0, .float32, bits: bits, value: { Float(bitPattern: $0) })
            check(rows: rows, cols: cols, offset: 6, .bfloat16, bits: { bits($0) >> 16 },
                  value: { Float(bitPattern: $0 << 16) })
        }
    }
}
