using System.Reflection;
using System.Text.Json;

namespace ChurnFlows.ML.Artifacts;

/// <summary>Which library trained a model, its versions and the parameters it was given (by the library's own names).</summary>
/// <param name="Library">The training library, e.g. <c>LightGBM</c>.</param>
/// <param name="LibraryVersion">The native library's version (from the app's dependency manifest), or <c>unknown</c>.</param>
/// <param name="Package">The .NET package that drove it and its version, e.g. <c>Microsoft.ML.LightGbm 6.0.0</c>.</param>
/// <param name="Parameters">The parameters as the library names them.</param>
public sealed record TrainerLineage(string Library, string LibraryVersion, string Package, IReadOnlyDictionary<string, string> Parameters)
{
    private static readonly Lazy<string> NativeLightGbmVersion = new(() => DependencyVersion("LightGBM"));

    /// <summary>The record of a LightGBM fit through ML.NET with <paramref name="parameters"/>.</summary>
    public static TrainerLineage LightGbm(IReadOnlyDictionary<string, string> parameters) =>
        new("LightGBM", NativeLightGbmVersion.Value, "Microsoft.ML.LightGbm " + PackageVersion(typeof(Microsoft.ML.Trainers.LightGbm.LightGbmBinaryTrainer).Assembly), parameters);

    /// <summary>The version of a package as the assembly states it (without source-control suffix).</summary>
    internal static string PackageVersion(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }

    /// <summary>
    /// The version of a package the app was built with, read from its dependency manifests (<c>*.deps.json</c>): the
    /// native LightGBM ships as a package with no managed assembly to ask.
    /// </summary>
    internal static string DependencyVersion(string package)
    {
        // The host's manifests first; a test host names its own, so the ones beside the app's assemblies are read too.
        var files = ((AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string)?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries) ?? [])
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.deps.json"));
        foreach (var file in files.Where(File.Exists))
        {
            using var deps = JsonDocument.Parse(File.ReadAllBytes(file));
            if (deps.RootElement.TryGetProperty("libraries", out var libraries))
            {
                foreach (var library in libraries.EnumerateObject())
                {
                    if (library.Name.StartsWith(package + "/", StringComparison.OrdinalIgnoreCase))
                    {
                        return library.Name[(package.Length + 1)..];
                    }
                }
            }
        }

        return "unknown";
    }
}
