// Interim page types so the package builds while these pages are written on their own branches.
// This file is deleted when they land.
public enum LayerHeadsView: PageView {
    public static func handle(_ action: Action, count: Int, state: inout ExplorerState) -> PageOutcome? { nil }
    public static func render(_ state: ExplorerState, into canvas: inout Canvas) { canvas.put(state.page.title, x: 0, y: 0) }
}
public enum AttentionHeadView: PageView {
    public static func handle(_ action: Action, count: Int, state: inout ExplorerState) -> PageOutcome? { nil }
    public static func render(_ state: ExplorerState, into canvas: inout Canvas) { canvas.put(state.page.title, x: 0, y: 0) }
}
