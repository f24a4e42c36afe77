from jamaat.cli import main

main()
