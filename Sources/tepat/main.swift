import TepatCLI

Tepat.main()
