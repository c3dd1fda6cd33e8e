Console.WriteLine("ChurnFlows benchmarks");
