/** A promise the test opens by hand: ordering without sleeps. */
export interface Gate<T = void> {
  readonly promise: Promise<T>;
  readonly isOpen: boolean;
  open(value: T): void;
}

export function createGate<T = void>(): Gate<T> {
  let open!: (value: T) => void;
  let isOpen = false;
  const promise = new Promise<T>((resolve) => {
    open = (value: T) => {
      isOpen = true;
      resolve(value);
    };
  });
  return {
    promise,
    get isOpen() {
      return isOpen;
    },
    open,
  };
}
