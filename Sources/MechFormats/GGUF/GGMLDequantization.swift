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
        case .q5_0:
            forEachBlock(type, source, count, out) { block, x in
                // block: f16 d | uint32 qh (bit i = 5th bit of element i) | uint8 q[16] nibbles as in Q4_0;  x = d·(q − 16)
                let d = half(block, 0)
                let qh = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
                for j in 0..<16 {
                    let byte = block.load(fromByteOffset: 6 + j, as: UInt8.self)
                    let low = Int(byte & 0x0F) | Int((qh >> UInt32(j)) & 1) << 4
                    let high = Int(byte >> 4) | Int((qh >> UInt32(j + 16)) & 1) << 4
                    x[j] = d * Float(low - 16)
                    x[j + 16] = d * Float(high - 16)
                }
            }
        case .q5_1:
            forEachBlock(type, source, count, out) { block, x in
                // block: f16 d | f16 m | uint32 qh | uint8 q[16];  x = d·q + m
                let d = half(block, 0), m = half(block, 2)
                let qh = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
                for j in 0..<16 {
                    let byte = block.load(fromByteOffset: 8 + j, as: UInt8.self)
                    let low = UInt32(byte & 0x0F) | ((qh >> UInt32(j)) & 1) << 4
                    let high = UInt32(byte >> 4) | ((qh >> UInt32(j + 16)) & 1) << 4
                    x[j] = d * Float(low) + m
                    x[j + 16] = d * Float(high) + m
                }
            }
        case .q2_K:
            forEachBlock(type, source, count, out) { block, x in
                // block: uint8 scales[16] (low nibble scale, high nibble min, per 16 elements) | uint8 q[64] (2 bits)
                //        | f16 d | f16 dmin;  element f = 128a + 32s + k is bits 2s of q[32a + k];  x = d·sc·q − dmin·mn
                let d = half(block, 80), dmin = half(block, 82)
                for f in 0..<256 {
                    let a = f / 128, s = (f % 128) / 32, k = f % 32
                    let q = (block.load(fromByteOffset: 16 + 32 * a + k, as: UInt8.self) >> UInt8(2 * s)) & 3
                    let scale = block.load(fromByteOffset: f / 16, as: UInt8.self)
                    let dl = d * Float(scale & 0x0F), ml = dmin * Float(scale >> 4)
                    x[f] = dl * Float(q) - ml
                }
            }
        case .q3_K:
            forEachBlock(type, source, count, out) { block, x in
                // block: uint8 hmask[32] | uint8 q[64] (low 2 bits) | 12 bytes of sixteen 6-bit scales | f16 d;
                // the high bit of element f = 32b + k is bit b of hmask[k], and a 0 there subtracts 4.
                let d = half(block, 108)
                var scales = [Float](repeating: 0, count: 16)
                for i in 0..<16 {
                    let low = block.load(fromByteOffset: 96 + i % 8, as: UInt8.self) >> UInt8(4 * (i / 8))
                    let high = block.load(fromByteOffset: 96 + 8 + i % 4, as: UInt8.self) >> UInt8(2 * (i / 4))
                    let six = (low & 0x0F) | ((high & 0x03) << 4)
                    scales[i] = d * Float(Int(Int8(bitPattern: six)) - 32)
                }
                for f in 0..<256 {
                    let a = f / 128, s = (f % 128) / 32, k = f % 32
                    let low = Int((block.load(fromByteOffset: 32 + 32 * a + k, as: UInt8.self) >> UInt8(2 * s)) & 3)
                    let hbit = Int((block.load(fromByteOffset: k, as: UInt8.self) >> UInt8(f / 32)) & 1) ^ 1
                    x[f] = scales[f / 16] * Float(low - (hbit << 2))
                }
            }
        case .q4_K, .q5_K:
            forEachBlock(type, source, count, out) { block, x in
                // block: f16 d | f16 dmin | 12 bytes of eight 6-bit scales and mins | (Q5_K: uint8 qh[32]) | uint8 q[128];
                // element f = 32j + k is nibble (j mod 2) of q[32(j/2) + k] (+ bit j of qh[k] as the 5th bit);
                // x = d·sc[j]·q − dmin·mn[j]
                let d = half(block, 0), dmin = half(block, 2)
                let hasHighBits = type == .q5_K
                let qsOffset = hasHighBits ? 48 : 16
                func byte(_ i: Int) -> UInt8 { block.load(fromByteOffset: 4 + i, as: UInt8.self) }
                for j in 0..<8 {
                    let sc = j < 4 ? byte(j) & 0x3F : (byte(8 + j - 4) & 0x0F) | ((byte(j - 4) >> 2) & 0x30)
                    let mn = j < 4 ? byte(4 + j) & 0x3F : (byte(8 + j - 4) >> 4) | ((byte(j) >> 2) & 0x30)
                    let dd = d * Float(sc), dm = dmin * Float(mn)
                    for k in 0..<32 {
                        var q = (block.load(fromByteOffset: qsOffset + 32 * (j / 2) + k, as: UInt8.self) >> UInt8(4 * (j % 2))) & 0x0F
                        if hasHighBits { q |= ((block.load(fromByteOffset: 16 + k, as: UInt8.self) >> UInt8(j)) & 1) << 4 }
                        x[32 * j + k] = dd * Float(q) - dm
                    }
                }
            }
        case .q6_K:
            forEachBlock(type, source, count, out) { block, x in
                // block: uint8 ql[128] (low 4 bits) | uint8 qh[64] (high 2 bits) | int8 scales[16] | f16 d;
                // element f = 128a + r: low nibble (r / 64) of ql[64a + r mod 64], high bits 2(r / 32) of
                // qh[32a + r mod 32];  x = d·scale[f / 16]·(q − 32)
                let d = half(block, 208)
                for f in 0..<256 {
                    let a = f / 128, r = f % 128
                    let low = (block.load(fromByteOffset: 64 * a + r % 64, as: UInt8.self) >> UInt8(4 * (r / 64))) & 0x0F
                    let high = (block.load(fromByteOffset: 128 + 32 * a + r % 32, as: UInt8.self) >> UInt8(2 * (r / 32))) & 0x03
                    let scale = Float(block.load(fromByteOffset: 192 + f / 16, as: Int8.self))
                    x[f] = (d * scale) * Float(Int(low | high << 4) - 32)
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
