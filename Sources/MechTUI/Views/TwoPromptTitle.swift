/// The title bar's part for two prompts: the clean and the corrupted prompt side by side, a
/// warning when they tokenize to different lengths, and which run a compare page shows.
enum TwoPromptTitle {
    /// " (corrupted run)" or " (corrupted − clean)" after the page's name while a page compares.
    static func compareMarker(_ state: ExplorerState) -> String {
        if state.showsCorrupted { return " (corrupted run)" }
        if state.showsDifference { return " (corrupted − clean)" }
        return ""
    }

    /// `⚠ 40≠38 tok "clean" ⇄ "corrupted"`, each prompt cut to its share of the row.
    static func prompts(_ state: ExplorerState, x: Int, style: CellStyle, into canvas: inout Canvas) {
        var x = x
        if let m = state.lengthMismatch {
            let warning = canvas.palette.hasColor
                ? CellStyle(foreground: canvas.palette.color(canvas.palette.theme.color(.error)), background: style.background, bold: true)
                : CellStyle(bold: true)
            x += canvas.put("⚠ \(m.clean)≠\(m.corrupted) tok ", x: x, y: 0, style: warning)
        }
        let share = max(8, (canvas.width - x - 3) / 2)
        x += canvas.put(TitleBar.quoted(state.run?.prompt ?? state.prompt), x: x, y: 0, style: style, limit: share)
        x += canvas.put(" ⇄ ", x: x, y: 0, style: style)
        canvas.put(TitleBar.quoted(state.corruptedPrompt ?? ""), x: x, y: 0, style: style)
    }
}
