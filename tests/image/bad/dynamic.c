/* check-image.sh must reject this: an ordinary dynamically linked program. */
int main(void) { return 0; }
