import ArgumentParser
import MechModels

/// `--prepend-bos` / `--no-prepend-bos`, shared by every command that runs a prompt; neither means
/// the model's own BOS policy (config.json's `prepend_bos`, else what its tokenizer does).
struct BOSOptions: ParsableArguments {
    @Flag(name: .customLong("prepend-bos"),
          help: "Put the BOS token first (default: config.json's prepend_bos, else as the model's tokenizer does).")
    var prepend = false
    @Flag(name: .customLong("no-prepend-bos"), help: "Put no BOS token first, even when the tokenizer adds one.")
    var omit = false

    func validate() throws {
        if prepend && omit { throw InputError.conflictingOptions("--prepend-bos", "--no-prepend-bos") }
    }

    var choice: BOSChoice { BOSChoice(flag: prepend ? true : omit ? false : nil) }
}
