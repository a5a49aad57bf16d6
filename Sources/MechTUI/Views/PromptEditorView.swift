/// The prompt being edited, on a line above the page.
enum PromptEditorView {
    static let height = 3
    static let labelWidth = 9

    static func render(_ editor: LineEditor, corrupted: Bool = false, into canvas: inout Canvas) {
        let p = canvas.palette
        canvas.line(corrupted ? "Edit the corrupted prompt (same token count as the clean one for patching; Enter runs it, Esc cancels):"
                              : "Edit the prompt (Enter runs it in the background, Esc cancels):", y: 0, style: p.heading)
        canvas.put(corrupted ? "corrupt: " : " prompt: ", x: 0, y: 1, style: p.accent)
        let visible = editor.visible(columns: canvas.width - labelWidth)
        canvas.put(visible.text, x: labelWidth, y: 1, style: p.token)
        canvas.put("▔", x: labelWidth + visible.cursorColumn, y: 2, style: p.accent)   // the cursor, also without colour
    }
}
