using System.Text;
using System.Text.Json;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>
/// The columns the models of one request read, each given one slot: the union of the Production and Staging
/// models' inputs and id columns. A customer's values are read once into these slots, then converted by the
/// model it is routed to (the two schemas may differ). Slot <see cref="Count"/> is never filled and stands
/// for a column a model does not have. Built once per pair of served models (see
/// <see cref="ServingModels.Columns"/>) and shared by every request they serve.
/// </summary>
internal sealed class ServingColumns
{
    private readonly string[] _names;
    private readonly byte[][] _utf8Names;
    private readonly int[][] _inputSlots;
    private readonly int[] _idSlots;

    // The slot last matched at each property position. Clients write every object's properties in the same
    // order, so this hint spares the scan over all names. Requests share it without locks: an int is written
    // whole, and a stale hint only costs that scan.
    private readonly int[] _hints;

    /// <summary>Lays out the columns of <paramref name="readers"/> (index 0 Production, 1 Staging).</summary>
    public ServingColumns(IReadOnlyList<CustomerRecordReader> readers)
    {
        Readers = readers;
        var names = new List<string>();
        int SlotOf(string name)
        {
            var slot = names.IndexOf(name);
            if (slot < 0)
            {
                names.Add(name);
                slot = names.Count - 1;
            }

            return slot;
        }

        _inputSlots = [.. readers.Select(r => r.InputColumns.Select(SlotOf).ToArray())];
        _idSlots = [.. readers.Select(r => r.IdColumn is { } id ? SlotOf(id) : -1)];
        _names = [.. names];
        _utf8Names = [.. names.Select(Encoding.UTF8.GetBytes)];
        for (var m = 0; m < _idSlots.Length; m++)
        {
            _idSlots[m] = _idSlots[m] < 0 ? _names.Length : _idSlots[m];
        }

        _hints = [.. Enumerable.Range(0, _names.Length + 16)];
    }

    /// <summary>Gets the readers of the models, in model order (0 Production, 1 Staging).</summary>
    public IReadOnlyList<CustomerRecordReader> Readers { get; }

    /// <summary>Gets how many columns have a slot.</summary>
    public int Count => _names.Length;

    /// <summary>The slot of each input of model <paramref name="model"/>, in its pipeline's order.</summary>
    public ReadOnlySpan<int> InputSlots(int model) => _inputSlots[model];

    /// <summary>The slot of model <paramref name="model"/>'s id column (<see cref="Count"/> when it has none).</summary>
    public int IdSlot(int model) => _idSlots[model];

    /// <summary>The slot of the column named <paramref name="name"/>, or -1.</summary>
    public int SlotOf(string name) => Array.IndexOf(_names, name);

    /// <summary>
    /// The slot of the property name the reader stands on, the <paramref name="position"/>-th of its object,
    /// or -1: the slot matched at that position before is tried first, then every slot. Escaped names
    /// compare unescaped, as a parsed document's property lookup does.
    /// </summary>
    public int Match(ref Utf8JsonReader reader, int position)
    {
        var hinted = position < _hints.Length;
        var guess = hinted ? _hints[position] : -1;
        if ((uint)guess < (uint)_utf8Names.Length && reader.ValueTextEquals(_utf8Names[guess]))
        {
            return guess;
        }

        var slot = Scan(ref reader);
        if (hinted && slot >= 0)
        {
            _hints[position] = slot;
        }

        return slot;
    }

    private int Scan(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            var name = reader.ValueSpan;
            for (var slot = 0; slot < _utf8Names.Length; slot++)
            {
                if (name.SequenceEqual(_utf8Names[slot]))
                {
                    return slot;
                }
            }

            return -1;
        }

        for (var slot = 0; slot < _utf8Names.Length; slot++)
        {
            if (reader.ValueTextEquals(_utf8Names[slot]))
            {
                return slot;
            }
        }

        return -1;
    }
}
