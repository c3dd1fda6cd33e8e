using System.Globalization;

namespace ChurnFlows.Benchmarks;

/// <summary>Reads a suite's <c>--name value</c> options.</summary>
internal static class SuiteArguments
{
    /// <summary>Returns the value after <paramref name="name"/> in <paramref name="args"/>, or <paramref name="fallback"/>.</summary>
    public static T Value<T>(string[] args, string name, T fallback)
        where T : IParsable<T>
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? T.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
