using System.Text;
using System.Text.Json;

namespace ChurnFlows.Lifecycle.Serving;

/// <summary>
/// The columns the models of one request read, each given one slot: the union of the Production and Staging
/// models' inputs and id columns. A batch row's values are read once into these slots, then each row is
/// converted by the model it is routed to (the two schemas may differ). Slot <see cref="Count"/> is never
/// filled and stands for a column a model does not have.
/// </summary>
internal sealed class ServingColumns
{
    private readonly string[] _names;
    private readonly byte[][] _utf8Names;
    private readonly int[][] _inputSlots;
    private readonly int[] _idSlots;

    /// <summary>Lays out the columns of <paramref name="models"/> (index 0 Production, 1 Staging).</summary>
    public ServingColumns(ServingModels models)
    {
        var readers = models.Staging is { } staging ? new[] { models.Production.Reader, staging.Reader } : [models.Production.Reader];
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
    }

    /// <summary>Gets how many columns have a slot.</summary>
    public int Count => _names.Length;

    /// <summary>The slot of each input of model <paramref name="model"/>, in its pipeline's order.</summary>
    public ReadOnlySpan<int> InputSlots(int model) => _inputSlots[model];

    /// <summary>The slot of model <paramref name="model"/>'s id column (<see cref="Count"/> when it has none).</summary>
    public int IdSlot(int model) => _idSlots[model];

    /// <summary>The slot of the column named <paramref name="name"/>, or -1.</summary>
    public int SlotOf(string name) => Array.IndexOf(_names, name);

    /// <summary>
    /// The slot of the property name the reader stands on, or -1: <paramref name="guess"/> is tried first
    /// (clients write every object's properties in the same order), then every slot. Escaped names compare
    /// unescaped, as <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> does.
    /// </summary>
    public int Match(ref Utf8JsonReader reader, int guess)
    {
        if ((uint)guess < (uint)_utf8Names.Length && reader.ValueTextEquals(_utf8Names[guess]))
        {
            return guess;
        }

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
