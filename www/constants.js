// @ts-check
// Constants shared by several modules of the page (and usable by the workers: no DOM here).

/** Side of an MNIST image, in pixels. */
export const SIDE = 28;
/** Pixels of one image (SIDE × SIDE): the model's inputs. */
export const PIXELS = SIDE * SIDE;
/** Human names of the data sets. */
export const DATASET_NAMES = { mnist: 'MNIST', fashion: 'Fashion-MNIST', files: 'your data set' };
