import ArgumentParser

/// `mechscope`: browse a trained transformer's circuits from the terminal.
struct MechscopeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mechscope",
        abstract: "Explore a trained transformer's activations and circuits.",
        discussion: """
        MODEL is a Hugging Face model folder (config.json, model.safetensors, tokenizer.json) or a hub id \
        found in the local Hugging Face cache (never downloaded). Without MODEL, the bundled induction \
        sample (samples/induction-2l) is used. With no command, `mechscope [MODEL]` opens the terminal explorer; \
        while it runs, diagnostics go to a log file ($MECHSCOPE_LOG, else $TMPDIR/mechscope-explorer.log, \
        or --log FILE), never to the screen (`mechscope explore --help` lists its options).
        """,
        subcommands: [
            ExploreCommand.self, InfoCommand.self, RunCommand.self, SimilarityCommand.self, DumpCommand.self, BenchCommand.self, FeaturesCommand.self,
            LogitLensCommand.self, DirectLogitAttributionCommand.self, HeadsCommand.self, CircuitCommand.self,
            PatchCommand.self, AblationCommand.self, LogitLensBenchCommand.self, ExplorerBenchCommand.self, SnapshotCommand.self, KeysCommand.self,
        ],
        defaultSubcommand: ExploreCommand.self
    )
}
