/// The element types a safetensors header may declare. All are recognised so headers validate
/// (byte sizes are checked for every tensor); only F32, F16 and BF16 can be loaded as `Tensor`s.
public enum SafetensorsDType: String, CaseIterable, Sendable, Comparable {
    case f64 = "F64"
    case f32 = "F32"
    case f16 = "F16"
    case bf16 = "BF16"
    case f8e4m3 = "F8_E4M3"
    case f8e5m2 = "F8_E5M2"
    case i64 = "I64"
    case i32 = "I32"
    case i16 = "I16"
    case i8 = "I8"
    case u64 = "U64"
    case u32 = "U32"
    case u16 = "U16"
    case u8 = "U8"
    case bool = "BOOL"

    /// Bytes per element, used to check each tensor's data_offsets against its shape.
    public var byteSize: Int {
        switch self {
        case .f64, .i64, .u64: return 8
        case .f32, .i32, .u32: return 4
        case .f16, .bf16, .i16, .u16: return 2
        case .f8e4m3, .f8e5m2, .i8, .u8, .bool: return 1
        }
    }

    /// Whether `SafetensorsFile.tensor(named:)` can turn this dtype into float32.
    public var isLoadable: Bool {
        self == .f32 || self == .f16 || self == .bf16
    }

    public static func < (lhs: SafetensorsDType, rhs: SafetensorsDType) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
