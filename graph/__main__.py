from vetkg.cli import main

main()
