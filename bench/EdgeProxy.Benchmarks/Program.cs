using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(EdgeProxy.Benchmarks.AllowListBenchmarks).Assembly).Run(args);
