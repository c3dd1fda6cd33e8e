namespace ChurnFlows.Storage;

/// <summary>Checks resource names against the service rules so a bad name fails early and clearly.</summary>
internal static class StorageNames
{
    public static void ValidateContainerOrQueue(string name, string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var valid = name.Length is >= 3 and <= 63
            && char.IsAsciiLetterOrDigit(name[0])
            && char.IsAsciiLetterOrDigit(name[^1])
            && !name.Contains("--", StringComparison.Ordinal)
            && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
        if (!valid)
        {
            throw new ArgumentException($"'{name}' is not a valid {kind} name: use 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.", nameof(name));
        }
    }

    public static void ValidateTable(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var valid = name.Length is >= 3 and <= 63 && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit);
        if (!valid)
        {
            throw new ArgumentException($"'{name}' is not a valid table name: use 3-63 letters and digits, starting with a letter.", nameof(name));
        }
    }
}
