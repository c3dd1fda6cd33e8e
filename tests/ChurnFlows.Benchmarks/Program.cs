using System.Reflection;
using ChurnFlows.Benchmarks;

// Usage: dotnet run -c Release --project tests/ChurnFlows.Benchmarks -- <suite|list|micro> [args]
//   micro [BenchmarkDotNet args]  runs the BenchmarkDotNet micro-benchmarks in this assembly.
var suites = typeof(IBenchmarkSuite).Assembly.GetTypes()
    .Where(t => typeof(IBenchmarkSuite).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmarkSuite)Activator.CreateInstance(t)!)
    .OrderBy(s => s.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || args[0] is "list" or "--help" or "-h")
{
    Console.WriteLine("Benchmark suites:");
    foreach (var s in suites)
    {
        Console.WriteLine($"  {s.Name,-28} {s.Description}");
    }

    Console.WriteLine("  micro                        BenchmarkDotNet micro-benchmarks (pass BenchmarkDotNet arguments after it)");
    return 0;
}

if (args[0] == "micro")
{
    BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(Assembly.GetExecutingAssembly()).Run(args[1..]);
    return 0;
}

var suite = suites.FirstOrDefault(s => s.Name == args[0]);
if (suite is null)
{
    await Console.Error.WriteLineAsync($"Unknown benchmark suite '{args[0]}'. Run with 'list' to see the suites.");
    return 2;
}

return await suite.RunAsync(args[1..]);
