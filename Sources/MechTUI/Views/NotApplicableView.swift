/// A page that does not apply to the open model (an encoder's next-token pages): one line saying why.
public enum NotApplicableView: PageView {
    public static var needsRun: Bool { false }

    public static func handle(_ action: Action, count: Int, state: inout ExplorerState) -> PageOutcome? { nil }

    public static func render(_ state: ExplorerState, into canvas: inout Canvas) {
        guard let reason = state.page.inapplicability(to: state.model) else { return }
        canvas.put(reason, x: 0, y: 0, style: canvas.palette.dim)
    }
}
