/// Ablation from the atlas, head and neuron pages: each change to the list starts a new
/// generation, so the forward pass reruns with the enabled ablations (older runs are cancelled).
extension Explorer {
    /// The head or neuron under the cursor of the current page, if it has one.
    var ablationTarget: Ablation.Target? {
        switch state.page {
        case .atlas: return .head(layer: state.atlas.layer, head: state.atlas.head)
        case .layer(let l): return .head(layer: l, head: state.layerPage.head)
        case .head(let l, let h): return .head(layer: l, head: h)
        case .neuron(let l, let n): return .neuron(layer: l, neuron: n)
        case .neurons(let l):
            guard let ranked = NeuronListView.ranked(state), !ranked.isEmpty else { return nil }
            return .neuron(layer: l, neuron: ranked[min(state.neuronsPage.row, ranked.count - 1)].neuron)
        default: return nil
        }
    }

    /// Adds (or switches to `kind`) the ablation of the item under the cursor; the same key on an
    /// item already ablated that way removes it.
    mutating func ablateUnderCursor(_ kind: Ablation.Kind) -> [Effect] {
        if let reason = Page.ablations.inapplicability(to: state.model) {
            state.message = StatusMessage(reason, isError: true)
            return [.redraw([.status])]
        }
        guard let target = ablationTarget else {
            state.message = StatusMessage("nothing to ablate here: use the atlas, a layer's heads, a head, or the neurons", isError: true)
            return [.redraw([.status])]
        }
        if let i = state.ablations.firstIndex(where: { $0.target == target }) {
            if state.ablations[i].kind == kind, state.ablations[i].enabled {
                state.ablations.remove(at: i)
                state.message = StatusMessage("removed \(kind.rawValue)-ablation of \(target.name)")
            } else {
                state.ablations[i] = Ablation(target, kind)
                state.message = StatusMessage(Ablation(target, kind).label)
            }
        } else {
            state.ablations.append(Ablation(target, kind))
            state.message = StatusMessage(Ablation(target, kind).label + " (A lists ablations)")
        }
        return rerun()
    }

    /// Turns the ablation at `index` of the list on or off.
    mutating func toggleAblation(at index: Int) -> [Effect] {
        guard state.ablations.indices.contains(index) else { return [] }
        state.ablations[index].enabled.toggle()
        return rerun()
    }

    mutating func clearAblations() -> [Effect] {
        guard !state.ablations.isEmpty else {
            state.message = StatusMessage("no ablations to clear")
            return [.redraw([.status])]
        }
        state.ablations.removeAll()
        state.ablationsPage.row = 0
        state.message = StatusMessage("ablations cleared: the clean run")
        return rerun()
    }

    private mutating func rerun() -> [Effect] {
        submitPrompt(state.prompt, prependBOS: state.prependBOS) + [.redraw(Region.all)]
    }
}
