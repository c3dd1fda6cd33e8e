namespace ChurnFlows.Functions.Cli;

/// <summary>Settings of the <c>demo</c> verb.</summary>
public sealed record DemoOptions
{
    /// <summary>Gets the storage connection string (default: <c>AzureWebJobsStorage</c>, else Azurite on its default ports).</summary>
    public string ConnectionString { get; init; } = Environment.GetEnvironmentVariable("AzureWebJobsStorage") ?? "UseDevelopmentStorage=true";

    /// <summary>Gets the number of synthetic customers.</summary>
    public int Rows { get; init; } = 50_000;

    /// <summary>Gets the number of tuning trials.</summary>
    public int Trials { get; init; } = 20;

    /// <summary>Gets the seed of the data, split and study.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Gets the task hub name.</summary>
    public string TaskHub { get; init; } = "churnflows";

    /// <summary>Parses <c>--rows N --trials N --seed N --connection S --hub NAME</c>.</summary>
    /// <exception cref="ArgumentException">An option is unknown, lacks its value, or the value is not a positive number.</exception>
    public static DemoOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new DemoOptions();
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"Option '{args[i]}' needs a value.", nameof(args));
            }

            var value = args[i + 1];
            options = args[i] switch
            {
                "--rows" => options with { Rows = Positive(args[i], value) },
                "--trials" => options with { Trials = Positive(args[i], value) },
                "--seed" => options with { Seed = Positive(args[i], value) },
                "--connection" => options with { ConnectionString = value },
                "--hub" => options with { TaskHub = value },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'. Use --rows, --trials, --seed, --connection or --hub.", nameof(args)),
            };
        }

        return options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"Option '{name}' needs a positive whole number, not '{value}'.", nameof(value));
}
