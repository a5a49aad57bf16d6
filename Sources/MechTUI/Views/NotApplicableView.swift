/// A page that does not apply to the open model (an encoder's next-token pages): one line saying why.
public enum NotApplicableView: PageView {
    public static var needsRun: Bool { false }

    public static func handle(_ action: Action, count: Int, state: inout ExplorerState) -> PageOutcome? { nil }

    public static func render(_ state: ExplorerState, into canvas: inout Canvas) {
        guard let reason = state.page.inapplicability(to: state.model) else { return }
        var lines = PanelLines(width: canvas.width)       // word-wrapped, so a narrow pane still shows all of it
        lines.wrap("", reason.split(separator: " ").map(String.init), indent: 0, separator: " ", .dim)
        lines.draw(into: &canvas)
    }
}
