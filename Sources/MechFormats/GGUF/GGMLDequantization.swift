/// Turns ggml blocks into float32, block by block, exactly as gguf-py's `quants.dequantize` does
/// (ggml-quants.c's reference `dequantize_row_*`).
enum GGMLDequantization {
    /// Writes `count` floats decoded from `source` (which holds `count / blockElements` blocks of `type`).
    static func decode(_ type: GGMLType, _ source: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>) {
        switch type {
        case .f32:
            for i in 0..<count { out[i] = source.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) }
        case .f16:
            HalfPrecisionConversion.convertFloat16(source, count: count, into: out)
        case .bf16:
            HalfPrecisionConversion.convertBFloat16(source, count: count, into: out)
        case .q8_0:
            forEachBlock(type, source, count, out) { block, x in
                // block: f16 d | int8 q[32];  x = d·q
                let d = half(block, 0)
                for j in 0..<32 { x[j] = d * Float(block.load(fromByteOffset: 2 + j, as: Int8.self)) }
            }
        case .q4_0:
            forEachBlock(type, source, count, out) { block, x in
                // block: f16 d | uint8 q[16], low nibbles are elements 0–15, high nibbles 16–31;  x = d·(q − 8)
                let d = half(block, 0)
                for j in 0..<16 {
                    let byte = block.load(fromByteOffset: 2 + j, as: UInt8.self)
                    x[j] = d * Float(Int(byte & 0x0F) - 8)
                    x[j + 16] = d * Float(Int(byte >> 4) - 8)
                }
            }
        case .q4_1:
            forEachBlock(type, source, count, out) { block, x in
                // block: f16 d | f16 m | uint8 q[16], nibbles as in Q4_0;  x = d·q + m
                let d = half(block, 0), m = half(block, 2)
                for j in 0..<16 {
                    let byte = block.load(fromByteOffset: 4 + j, as: UInt8.self)
                    x[j] = d * Float(byte & 0x0F) + m
                    x[j + 16] = d * Float(byte >> 4) + m
                }
            }
        default:
            preconditionFailure("GGMLDequantization.decode called for \(type.name), which GGMLType.readable excludes")
        }
    }

    private static func half(_ block: UnsafeRawPointer, _ offset: Int) -> Float {
        HalfPrecisionConversion.float(fromFloat16Bits: block.loadUnaligned(fromByteOffset: offset, as: UInt16.self).littleEndian)
    }

    private static func forEachBlock(_ type: GGMLType, _ source: UnsafeRawPointer, _ count: Int,
                                     _ out: UnsafeMutablePointer<Float>,
                                     _ body: (UnsafeRawPointer, UnsafeMutablePointer<Float>) -> Void) {
        let (elements, bytes) = type.blockLayout
        for b in 0..<(count / elements) {
            body(source + b * bytes, out + b * elements)
        }
    }
}
